import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { computeKpis } from "../analytics/index.ts";
import type { Db } from "./client.ts";
import { queryParts } from "./sql.ts";

/** `db` with a count of the statements sent through it (`execute`: every raw read). */
function counted(db: Db) {
  let statements = 0;
  const proxy = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key === "execute")
        return (...args: unknown[]) => {
          statements++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: proxy, statements: () => statements };
}

describe("queryParts: several one-row reads in one statement", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.destroy());

  it("gives each part's row by name, null for a part without one, sums as numbers", async () => {
    const { db, statements } = counted(ctx.db);
    const read = await queryParts(db, {
      sums: sql<{ total: number; label: string }>`SELECT sum(n)::bigint AS "total", 'days' AS "label"
        FROM generate_series(1, 100000) n`,
      none: sql<{ x: number }>`SELECT 1 AS "x" WHERE false`,
      flags: sql<{ on: boolean; at: string | null }>`SELECT true AS "on", NULL AS "at"`,
    });
    expect(read).toEqual({
      sums: { total: 5_000_050_000, label: "days" },
      none: null,
      flags: { on: true, at: null },
    });
    expect(statements()).toBe(1);
  });

  it("sends the totals of the kpis JSON as one statement (after the default currency, when none is asked)", async () => {
    const { db, statements } = counted(ctx.db);
    const period = { from: "2026-05-01", to: "2026-05-31", livemode: false };
    await computeKpis({ ...ctx, readDb: db }, { ...period, currency: "usd" });
    expect(statements()).toBe(1);
    await computeKpis({ ...ctx, readDb: db }, period);
    expect(statements()).toBe(1 + 2);
  });
});
