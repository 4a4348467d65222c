import { and, asc, between, eq, inArray, lte, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { bare, bareList } from "../db/sql.ts";
import { type FxRateRow, type FxSource, RateBook } from "./rate-book.ts";
import { parseDecimal, toDecimal } from "./rational.ts";
import { fxRates } from "./schema.ts";

/**
 * Upserts rates (one row per day, pair and source) and returns the rows that were new or whose
 * rate changed: importing the same file twice changes nothing and returns nothing. Stamped
 * `ctx.clock.now()`; `ctx.db` may be the caller's transaction (`{ ...ctx, db: tx }`).
 */
export async function saveRates(
  ctx: Pick<ServiceContext, "db" | "clock">,
  rows: FxRateRow[],
): Promise<FxRateRow[]> {
  const r = fxRates;
  const now = ctx.clock.now();
  const changed: FxRateRow[] = [];
  const BATCH = 2000;
  for (let i = 0; i < rows.length; i += BATCH) {
    const json = JSON.stringify(
      rows.slice(i, i + BATCH).map((row) => ({ ...row, rate: toDecimal(parseDecimal(row.rate)!) })),
    );
    const result = (await ctx.db.execute(sql`
      INSERT INTO ${r} (${bareList(r.day, r.base, r.quote, r.rate, r.source, r.updatedAt)})
      SELECT day, base, quote, rate, source, ${now}
      FROM json_to_recordset(${json}::json) AS x(day date, base text, quote text, rate numeric, source text)
      ON CONFLICT (${bareList(r.base, r.quote, r.day, r.source)}) DO UPDATE
        SET ${bare(r.rate)} = excluded.${bare(r.rate)}, ${bare(r.updatedAt)} = excluded.${bare(r.updatedAt)}
        WHERE ${r.rate} <> excluded.${bare(r.rate)}
      RETURNING ${bare(r.day)}::text AS day, ${bare(r.base)} AS base, ${bare(r.quote)} AS quote,
                ${bare(r.rate)}::text AS rate, ${bare(r.source)} AS source`)) as unknown as {
      rows: FxRateRow[];
    };
    changed.push(...result.rows.map((row) => ({ ...row, rate: toDecimal(parseDecimal(row.rate)!) })));
  }
  return changed;
}

export interface ListRatesInput {
  base: string;
  quote: string;
  from?: string;
  to?: string;
}

/** The stored rates of one pair (as stored: base → quote), every source, by day then precedence. */
export async function listRates(
  ctx: Pick<ServiceContext, "db">,
  input: ListRatesInput,
): Promise<FxRateRow[]> {
  const r = fxRates;
  const rows = await ctx.db
    .select({ day: r.day, base: r.base, quote: r.quote, rate: r.rate, source: r.source })
    .from(r)
    .where(
      and(
        eq(r.base, input.base),
        eq(r.quote, input.quote),
        input.from && input.to ? between(r.day, input.from, input.to) : undefined,
        input.from && !input.to ? sql`${r.day} >= ${input.from}` : undefined,
        !input.from && input.to ? lte(r.day, input.to) : undefined,
      ),
    )
    .orderBy(asc(r.day), asc(r.source));
  return rows.map((row) => ({
    ...row,
    rate: toDecimal(parseDecimal(row.rate)!),
    source: row.source as FxSource,
  }));
}

/**
 * Every rate on or before `to` between the given currencies and EUR (the cross-rate leg): what a
 * converted view of a period ending on `to` can use. List the reporting currency among them.
 */
export async function loadRateBook(
  ctx: Pick<ServiceContext, "db">,
  currencies: string[],
  to: string,
): Promise<RateBook> {
  const r = fxRates;
  const codes = [...new Set([...currencies.map((c) => c.toLowerCase()), "eur"])];
  const rows = await ctx.db
    .select({ day: r.day, base: r.base, quote: r.quote, rate: r.rate, source: r.source })
    .from(r)
    .where(and(lte(r.day, to), inArray(r.base, codes), inArray(r.quote, codes)));
  return new RateBook(rows.map((row) => ({ ...row, source: row.source as FxSource })));
}
