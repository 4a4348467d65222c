import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { onPostgres } from "../tests/support/db.ts";
import { testConfig } from "./config/env.ts";
import { closeContext, createContext } from "./context.ts";

describe.skipIf(!onPostgres)("createContext on PostgreSQL without a replica", () => {
  it("reads through a pool of its own, so reads go through while writes hold every connection", async () => {
    const ctx = await createContext(testConfig({ DATABASE_URL: process.env.TEST_DATABASE_URL! }));
    try {
      const writes = ctx.database.pool!;
      const reads = ctx.readPool?.pool;
      expect(reads).toBeDefined();
      expect(reads).not.toBe(writes);
      expect(ctx.readDb).toBe(ctx.readPool!.db);
      expect(ctx.db).toBe(ctx.database.db);
      // Every connection of the main pool taken (as a burst of webhooks does): a read still answers.
      const held = await Promise.all(Array.from({ length: writes.options.max }, () => writes.connect()));
      try {
        expect(writes.waitingCount).toBe(0);
        const result = (await ctx.readDb.execute(sql`SELECT 1 AS one`)) as unknown as { rows: unknown[] };
        expect(result.rows).toEqual([{ one: 1 }]);
      } finally {
        for (const client of held) client.release();
      }
    } finally {
      await closeContext(ctx);
    }
  });
});
