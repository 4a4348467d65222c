import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  integer,
  interval,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzleClient } from "./pglite-parsers.ts";

const sample = pgTable("sample", {
  id: integer().primaryKey(),
  at: timestamp({ withTimezone: true }).notNull(),
  local: timestamp().notNull(),
  day: date().notNull(),
  dayAsDate: date({ mode: "date" }).notNull(),
  span: interval().notNull(),
  amounts: numeric().array().notNull(),
  doc: jsonb().notNull(),
  flag: boolean().notNull(),
  note: text(),
});

const DDL = `CREATE TABLE sample (id int PRIMARY KEY, at timestamptz NOT NULL, local timestamp NOT NULL,
  day date NOT NULL, day_as_date date NOT NULL, span interval NOT NULL, amounts numeric[] NOT NULL,
  doc jsonb NOT NULL, flag boolean NOT NULL, note text)`;
const ROWS = `INSERT INTO sample VALUES
  (1, '2026-03-29T00:30:00Z', '2026-03-29 01:30:00', '2026-03-29', '2026-03-29', '1 day 02:00:00', '{1.50,2}', '{"a":[1,"x"]}', true, NULL),
  (2, '2025-12-31T23:59:59.123Z', '2025-12-31 23:59:59', '2025-12-31', '2024-02-29', '00:00:01', '{}', '[]', false, 'ü')`;

let plainEngine: PGlite;
let sharedEngine: PGlite;
let plain: ReturnType<typeof drizzle>;
let shared: ReturnType<typeof drizzle>;

beforeAll(async () => {
  plainEngine = await PGlite.create();
  sharedEngine = await PGlite.create();
  for (const engine of [plainEngine, sharedEngine]) {
    await engine.exec(DDL);
    await engine.exec(ROWS);
  }
  plain = drizzle(plainEngine, { casing: "snake_case" });
  shared = drizzle(drizzleClient(sharedEngine) as PGlite, { casing: "snake_case" });
}, 60_000);
afterAll(async () => {
  await plainEngine.close();
  await sharedEngine.close();
});

describe("drizzle over PGlite with the parsers installed once", () => {
  it("reads typed columns exactly as drizzle's own per-query parsers do", async () => {
    const expected = await plain.select().from(sample).orderBy(sample.id);
    expect(expected[0]!.at).toBeInstanceOf(Date);
    expect(expected[0]!.day).toBe("2026-03-29");
    expect(await shared.select().from(sample).orderBy(sample.id)).toEqual(expected);
  });

  it("returns raw SQL rows (timestamps as text, numbers, json) unchanged", async () => {
    const query = sql`SELECT at, local, day, span, amounts, doc, flag, note, count(*) OVER ()::int AS n,
      sum(id) OVER ()::bigint AS total FROM sample ORDER BY id`;
    const expected = (await plain.execute(query)).rows;
    expect(typeof expected[0]!.at).toBe("string");
    expect((await shared.execute(query)).rows).toEqual(expected);
  });

  it("gives the same results inside transactions and savepoints, and rolls back the same way", async () => {
    const read = (db: typeof plain) =>
      db.transaction(async (tx) => {
        const outer = await tx.select().from(sample).orderBy(sample.id);
        const inner = await tx.transaction(
          async (sp) => (await sp.execute(sql`SELECT at, day FROM sample`)).rows,
        );
        return { outer, inner };
      });
    expect(await read(shared)).toEqual(await read(plain));
    await expect(
      shared.transaction(async (tx) => {
        await tx.execute(sql`UPDATE sample SET note = 'changed'`);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(
      (await shared.execute(sql`SELECT count(*)::int AS n FROM sample WHERE note = 'changed'`)).rows,
    ).toEqual([{ n: 0 }]);
  });

  it("leaves other per-query parsers to PGlite", async () => {
    const { rows } = await sharedEngine.query<{ n: string }>("SELECT 41 AS n", [], {
      parsers: { 23: (v: string) => `parsed:${Number(v) + 1}` },
    });
    expect(rows).toEqual([{ n: "parsed:42" }]);
  });
});
