/** Test-only builders for orders tests (not exported from the domain index). */
import { cliActor } from "../../../src/audit/index.ts";
import { createProduct, type Product } from "../../../src/catalog/index.ts";
import { createCustomer } from "../../../src/customers/index.ts";
import type { Db } from "../../../src/db/client.ts";

let seq = 0;

export async function makeCustomer(db: Db, now: Date): Promise<number> {
  seq += 1;
  const c = await createCustomer(db, { email: `buyer${seq}@example.test`, name: `Buyer ${seq}` }, now);
  return c.id;
}

export async function makeProduct(
  db: Db,
  now: Date,
  overrides: Partial<{
    priceAmount: number;
    stockOnHand: number;
    allowPreorder: boolean;
    preorderLimit: number | null;
    active: boolean;
    currency: string;
    name: string;
  }> = {},
): Promise<Product> {
  seq += 1;
  return createProduct(
    db,
    {
      sku: `SKU-${seq}`,
      name: overrides.name ?? `Product ${seq}`,
      priceAmount: 1000,
      currency: "usd",
      stockOnHand: 10,
      ...overrides,
    },
    cliActor,
    now,
  );
}
