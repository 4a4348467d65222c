import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeCharge } from "../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { cliRunner } from "../../tests/support/cli.ts";
import { onPostgres } from "../../tests/support/db.ts";
import { cloneTemplate } from "../../tests/support/postgres-template.ts";
import { auditLog } from "../audit/schema.ts";
import { products } from "../catalog/schema.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { orderLines, orders } from "../orders/schema.ts";
import { refunds } from "../payments/schema.ts";

/*
 * `revintel orders refund` as an operator runs it, on its own database: the embedded one in a data
 * directory, or (TEST_DATABASE_URL set) a Postgres database cloned from the migrated template.
 * Orders are written with the row builders while no command holds the database.
 */
const runner = cliRunner("orders-refund");
let env: Record<string, string> = {};
let dropClone: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (onPostgres) {
    const clone = await cloneTemplate(process.env.TEST_DATABASE_URL!);
    env = { DATABASE_URL: clone.url };
    dropClone = clone.drop;
  } else {
    expect((await runner.inProcess(["migrate"])).code).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await dropClone?.();
  runner.cleanup();
});

/** In this process through the CLI's `main`; the first case below runs as a process of its own. */
const cli = (args: string[]) => runner.inProcess(["orders", "refund", ...args], env);
const cliProcess = (args: string[]) => runner.run(["orders", "refund", ...args], env);

async function withDb<T>(work: (db: Database["db"]) => Promise<T>): Promise<T> {
  const database = await openDatabase(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: runner.dataDir },
  );
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** A paid (or shipped) order of `quantity` × `unitPrice` with its succeeded charge. */
function paidOrder(
  currency: string,
  unitPrice: number,
  quantity: number,
  status: "paid" | "fulfilled" = "paid",
) {
  return withDb(async (db) => {
    const customer = await makeCustomer(db);
    const product = await makeProduct(db, { priceAmount: unitPrice, currency, stockOnHand: 10 });
    const order = await makeOrder(db, {
      customerId: customer.id,
      currency,
      status,
      ...(status === "fulfilled" ? { fulfilledAt: new Date("2026-06-11T10:00:00Z") } : {}),
      lines: [{ productId: product.id, quantity, unitPrice }],
    });
    await makeCharge(db, { amount: order.amountTotal, currency, orderId: order.id });
    const [line] = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    return { order, productId: product.id, lineId: line!.id };
  });
}

const state = (orderId: number, productId: number) =>
  withDb(async (db) => {
    const [o] = await db.select().from(orders).where(eq(orders.id, orderId));
    const [p] = await db.select().from(products).where(eq(products.id, productId));
    const rows = await db.select().from(refunds).where(eq(refunds.orderId, orderId));
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "refund.create"));
    return {
      refunded: o!.amountRefunded,
      status: o!.status,
      stock: p!.stockOnHand,
      refunds: rows.map((r) => [r.amount, r.status, r.reason]),
      audited: audits.filter((a) => a.targetId === String(orderId)).map((a) => a.actorType),
    };
  });

describe("revintel orders refund", () => {
  it("refunds part of an order by its number, in currency units, with every unit back, audited", async () => {
    const { order, productId } = await paidOrder("usd", 1799, 2);
    const r = cliProcess([
      "--order",
      order.number,
      "--amount",
      "12.50",
      "--restock",
      "--reason",
      "requested_by_customer",
      "--note",
      "dented tin",
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `^refund re_\\w+ of \\$12\\.50 on order ${order.number}: succeeded; \\$23\\.48 still refundable\\n$`,
      ),
    );
    expect(await state(order.id, productId)).toEqual({
      refunded: 1250,
      status: "paid",
      stock: 12,
      refunds: [[1250, "succeeded", "requested_by_customer"]],
      audited: ["cli"],
    });
    // Too much now: the rest is $23.48, said in dollars, exit 2, nothing written.
    const tooMuch = await cli(["--order", order.number, "--amount", "999", "--reason", "duplicate"]);
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.err.trim()).toBe("revintel: --amount: $999.00 is more than the $23.48 still refundable");
    expect((await state(order.id, productId)).refunded).toBe(1250);
  }, 120_000);

  it("refunds the rest in full by order id (status refunded) and restocks named lines of a shipped order", async () => {
    const { order, productId, lineId } = await paidOrder("usd", 1000, 3, "fulfilled");
    const shipped = await cli([
      "--order",
      String(order.id),
      "--amount",
      "30",
      "--restock",
      "--reason",
      "fraudulent",
    ]);
    expect(shipped.code).toBe(2);
    expect(shipped.err).toContain("--restock-line: the order was shipped; choose the lines that came back");
    const r = await cli([
      "--order",
      String(order.id),
      "--amount",
      "30.00",
      "--restock-line",
      `${lineId}=2`,
      "--reason",
      "fraudulent",
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      order: order.number,
      amount: 3000,
      refundable: 0,
      currency: "usd",
    });
    expect(await state(order.id, productId)).toMatchObject({ refunded: 3000, status: "refunded", stock: 12 });
  }, 120_000);

  it("reads three-decimal and zero-decimal currencies in their own units", async () => {
    const kwd = await paidOrder("kwd", 12500, 1);
    expect(
      (await cli(["--order", kwd.order.number, "--amount", "1.250", "--reason", "duplicate"])).code,
    ).toBe(0);
    expect((await state(kwd.order.id, kwd.productId)).refunded).toBe(1250); // 1.250 KWD = 1250 fils
    const tooFine = await cli(["--order", kwd.order.number, "--amount", "1.2505", "--reason", "duplicate"]);
    expect(tooFine.code).toBe(2);
    expect(tooFine.err.trim()).toBe('revintel: --amount: KWD amounts have at most 3 decimals (got "1.2505")');
    const jpy = await paidOrder("jpy", 3000, 1);
    const cents = await cli(["--order", jpy.order.number, "--amount", "10.50", "--reason", "duplicate"]);
    expect(cents.code).toBe(2);
    expect(cents.err.trim()).toBe('revintel: --amount: JPY amounts have no decimals (got "10.50")');
    expect((await cli(["--order", jpy.order.number, "--amount", "1000", "--reason", "duplicate"])).code).toBe(
      0,
    );
    expect((await state(jpy.order.id, jpy.productId)).refunded).toBe(1000);
  }, 120_000);

  it("exits 2 with one line naming the problem on bad input", async () => {
    const { order, productId } = await paidOrder("usd", 1000, 1);
    for (const [args, message] of [
      [
        ["--order", order.number, "--amount", "12,50", "--reason", "duplicate"],
        "--amount: must be an amount like 12.50",
      ],
      [
        ["--order", order.number, "--amount", "-5", "--reason", "duplicate"],
        "--amount: must be an amount like 12.50",
      ],
      [["--order", order.number, "--amount", "0", "--reason", "duplicate"], "--amount: must be more than 0"],
      [["--order", order.number, "--amount", "1", "--reason", "changed_mind"], "--reason:"],
      [["--order", "RI-999999", "--amount", "1", "--reason", "duplicate"], "--order: no order RI-999999"],
      [
        ["--order", "yesterday", "--amount", "1", "--reason", "duplicate"],
        "--order: expected an order number",
      ],
      [
        ["--order", order.number, "--amount", "1", "--reason", "duplicate", "--restock-line", "x"],
        "--restock-line:",
      ],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.err, args.join(" ")).toContain(message);
    }
    const missing = await cli(["--order", order.number, "--reason", "duplicate"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--amount");
    expect((await state(order.id, productId)).refunded).toBe(0);
  }, 300_000);
});
