import { eq, sql } from "drizzle-orm";
import { PgDialect, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { customers } from "../customers/schema.ts";
import { withoutAnswer, withPreparedStatements } from "./client.ts";
import { definedKeys, encodeRow, param, rowParams, StatementsByShape, statement } from "./prepared.ts";
import { queryOne } from "./sql.ts";

/** Counts the statements drizzle builds (its dialect's sqlToQuery) while `work` runs. */
async function buildsDuring(work: () => Promise<unknown>): Promise<number> {
  const proto = PgDialect.prototype as unknown as { sqlToQuery: (...args: unknown[]) => unknown };
  const original = proto.sqlToQuery;
  let built = 0;
  proto.sqlToQuery = function (this: unknown, ...args: unknown[]) {
    built++;
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    proto.sqlToQuery = original;
  }
  return built;
}

const NEW_CUSTOMER = ["email", "name", "country", "stripeCustomerId", "livemode", "createdAt"] as const;

describe("statements built once, values bound at each run", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx?.destroy();
  });

  const insertCustomer = statement<Record<string, unknown>>()((db) =>
    db.insert(customers).values(rowParams(NEW_CUSTOMER)).returning({ id: customers.id }),
  );
  const customerByStripeId = statement<{ stripeCustomerId: string }>()((db) =>
    db
      .select()
      .from(customers)
      .where(eq(customers.stripeCustomerId, param("stripeCustomerId"))),
  );

  const row = (n: number) => ({
    email: `buyer${n}@example.test`,
    name: `Buyer ${n}`,
    country: n % 2 === 0 ? null : "FR",
    stripeCustomerId: `cus_statement_${n}`,
    livemode: false,
    createdAt: new Date(Date.UTC(2026, 5, 1, 8, 0, n)),
  });

  it("writes and reads rows as the builder would, mapping values both ways", async () => {
    const [inserted] = await insertCustomer.run(ctx.db, encodeRow(customers, row(1), NEW_CUSTOMER));
    const [read] = await customerByStripeId.run(ctx.db, { stripeCustomerId: "cus_statement_1" });
    const [viaBuilder] = await ctx.db.select().from(customers).where(eq(customers.id, inserted!.id));
    expect(read).toEqual(viaBuilder);
    expect(read!.createdAt).toEqual(new Date(Date.UTC(2026, 5, 1, 8, 0, 1)));
    expect(read!.country).toBe("FR");
  });

  it("builds its SQL once: later runs, on any database or transaction, build nothing", async () => {
    await insertCustomer.run(ctx.db, encodeRow(customers, row(2), NEW_CUSTOMER));
    const built = await buildsDuring(() =>
      ctx.db.transaction(async (tx) => {
        for (let n = 3; n < 8; n++) await insertCustomer.run(tx, encodeRow(customers, row(n), NEW_CUSTOMER));
        return customerByStripeId.run(tx, { stripeCustomerId: "cus_statement_7" });
      }),
    );
    // Only the transaction's own statements may be built (PGlite's begin/commit); none of the six runs.
    expect(built).toBeLessThanOrEqual(2);
    const [seventh] = await customerByStripeId.run(ctx.db, { stripeCustomerId: "cus_statement_7" });
    expect(seventh!.country).toBe("FR");
    expect(seventh!.name).toBe("Buyer 7");
  });

  it("sends the text the builder sends", () => {
    const fromBuilder = ctx.db
      .select()
      .from(customers)
      .where(eq(customers.stripeCustomerId, sql.placeholder("stripeCustomerId")))
      .toSQL().sql;
    const recorded = ctx.db
      .select()
      .from(customers)
      .where(eq(customers.stripeCustomerId, param("stripeCustomerId")))
      .toSQL().sql;
    expect(recorded).toBe(fromBuilder);
  });

  it("rolls back with its transaction, held or not", async () => {
    await expect(
      withPreparedStatements(() =>
        ctx.db.transaction(async (tx) => {
          await withoutAnswer(() => insertCustomer.run(tx, encodeRow(customers, row(20), NEW_CUSTOMER)));
          await insertCustomer.run(tx, encodeRow(customers, row(21), NEW_CUSTOMER));
          throw new Error("undo");
        }),
      ),
    ).rejects.toThrow("undo");
    const left = await queryOne<{ n: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM ${customers} WHERE ${customers.stripeCustomerId} IN ('cus_statement_20', 'cus_statement_21')`,
    );
    expect(left!.n).toBe(0);
  });

  it("raw SQL (db.execute) with a value used twice", async () => {
    const twice = statement<{ v: string }>()((db) =>
      db.execute(sql`SELECT ${param("v")}::text AS a, upper(${param("v")}::text) AS b`),
    );
    const result = (await twice.run(ctx.db, { v: "x" })) as unknown as { rows: unknown[] };
    expect(result.rows).toEqual([{ a: "x", b: "X" }]);
  });

  it("encodes a row's values as the driver takes them and keeps null as SQL NULL", () => {
    const keys = definedKeys({ name: "A", email: undefined, country: null, createdAt: new Date(0) });
    expect(keys).toEqual(["name", "country", "createdAt"]);
    const values = encodeRow(customers, { name: "A", country: null, createdAt: new Date(0) }, keys);
    expect(values).toEqual({ name: "A", country: null, createdAt: "1970-01-01T00:00:00.000Z" });
    expect(() => encodeRow(customers, { nope: 1 } as never, ["nope"])).toThrow(
      "customers has no column nope",
    );
  });

  it("refuses a table whose column computes its value in JS (it would be built in once)", () => {
    const stamped = pgTable("stamped", {
      id: text().primaryKey(),
      at: timestamp().$defaultFn(() => new Date()),
    });
    const inserts = new StatementsByShape((db, table, keys) => db.insert(table).values(rowParams(keys)));
    expect(() => inserts.for(stamped, ["id"])).toThrow("column at has a value computed in JS");
  });
});
