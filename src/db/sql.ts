import { type Column, type SQL, sql } from "drizzle-orm";
import { CasingCache } from "drizzle-orm/casing";
import type { Db } from "./client.ts";

/** Run raw SQL and return its rows; both drivers expose `.rows`. */
export async function queryRows<T extends object>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function queryOne<T extends object>(db: Db, query: SQL): Promise<T | undefined> {
  const rows = await queryRows<T>(db, query);
  return rows[0];
}

/** What `queryParts` reads: each part's one row (typed by its `sql<Row>`), or null when it has none. */
export type PartRows<Parts> = { [K in keyof Parts]: Parts[K] extends SQL<infer Row> ? Row | null : never };

/**
 * Several one-row reads sent as one statement: one round trip (one turn for a connection on a busy
 * pool) and one snapshot of the database, so parts read while a snapshot build commits cannot
 * disagree. Each part must give at most one row (an aggregate, `LIMIT 1`); its columns come back
 * through JSON, so a `bigint` must fit a JavaScript number (sums of minor units do).
 */
export async function queryParts<Parts extends Record<string, SQL<object>>>(
  db: Db,
  parts: Parts,
): Promise<PartRows<Parts>> {
  const columns = Object.entries(parts).map(
    ([name, part]) => sql`(SELECT row_to_json(part) FROM (${part}) part) AS ${sql.identifier(name)}`,
  );
  return (await queryOne<PartRows<Parts>>(db, sql`SELECT ${sql.join(columns, sql`, `)}`))!;
}

/** The element types `arrayOf` sends, with the values each takes (numbers, ISO days: nothing to quote). */
interface ArrayElements {
  int: number;
  bigint: number;
  date: string;
}

/**
 * One array parameter (`'{1,2,3}'::int[]`) of however many values: one statement text whatever their
 * count, for `= ANY(…)`, `&&` or `unnest(…)`.
 */
export function arrayOf<T extends keyof ArrayElements>(type: T, values: readonly ArrayElements[T][]): SQL {
  return sql`${`{${values.join(",")}}`}::${sql.raw(type)}[]`;
}

/** The same naming as the database handles (`casing: "snake_case"` in client.ts). */
const casing = new CasingCache("snake_case");

/**
 * A column's own name without its table (`"gross_revenue"`), where Postgres takes no table prefix:
 * INSERT column lists, `SET` targets, `ON CONFLICT` targets, `excluded.<column>`. Everywhere else
 * interpolate the column itself (`${table.column}`), which renders qualified.
 */
export function bare(column: Column): SQL {
  return sql`${sql.identifier(columnName(column))}`;
}

/** `"a", "b", "c"`: bare column names for an INSERT column list or a row comparison. */
export function bareList(...columns: Column[]): SQL {
  return sql.join(columns.map(bare), sql`, `);
}

/** A column's own name as a string (a JSON key matched by name, as `json_populate_recordset` does). */
export function columnName(column: Column): string {
  return casing.getColumnCasing(column);
}

/**
 * `column IN (…values)` with the values sent as one JSON parameter: any number of them, any text,
 * one statement text whatever their count.
 */
export function inTexts(column: Column | SQL, values: readonly string[]): SQL {
  return sql`${column} IN (SELECT json_array_elements_text(${JSON.stringify(values)}::json))`;
}
