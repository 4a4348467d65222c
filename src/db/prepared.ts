import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import { PgDatabase, type PgDialect, type PgTable } from "drizzle-orm/pg-core";
import type { Db } from "./client.ts";

/**
 * A statement whose SQL is built once per process instead of at every execution.
 *
 * drizzle builds a statement's text anew each time a query builder runs (walking the builder's chunks,
 * escaping names, encoding values); on the webhook path that was about a quarter of the server's CPU
 * per delivery. A `Statement` builds its query once, with placeholders where the values go, and then
 * only binds values: it runs on any `Db` (the pool, a transaction, PGlite), with drizzle's own result
 * mapping. The text is exactly the one the builder would send, so named statements and held writes
 * (withPreparedStatements, withoutAnswer) work on it as on any other.
 *
 * Placeholder values are sent as they are given (drizzle encodes placeholders only in some positions):
 * pass what the driver takes (`encodeRow` does it for a table's columns).
 */
export class Statement<Values extends Record<string, unknown>, Result> {
  private recorded?: Recorded;

  constructor(private readonly build: (db: Db) => unknown) {}

  async run(db: Db, values: Values): Promise<Result> {
    const parts = db as unknown as DbParts;
    this.recorded ??= record(parts.dialect, this.build);
    const { args, extra } = this.recorded;
    const query = parts.session.prepareQuery(...args);
    Object.assign(query, extra);
    return (await query.execute(values)) as Result;
  }

  /** The rows of a raw statement (`db.execute(sql…)`): both drivers answer `{ rows }`, as queryRows reads. */
  async rows<Row extends object>(db: Db, values: Values): Promise<Row[]> {
    return ((await this.run(db, values)) as unknown as { rows: Row[] }).rows;
  }
}

/**
 * A statement built once by `build` (a query builder, or `db.execute(sql…)` for raw SQL), its values
 * bound at each run; the result is what awaiting the builder gives:
 * `statement<{ id: string }>()((db) => db.select().from(t).where(eq(t.id, param("id"))))`.
 */
export function statement<Values extends Record<string, unknown>>() {
  return <B extends PromiseLike<unknown>>(build: (db: Db) => B): Statement<Values, Awaited<B>> =>
    new Statement(build);
}

/** Where a value goes in a Statement: sent as given, never encoded again. */
export function param(name: string): SQL {
  return sql`${sql.placeholder(name)}`;
}

/** Placeholders for `keys` of a table's row (for `.values()` or `.set()`), named after the keys. */
export function rowParams<const K extends string>(keys: readonly K[]): Record<K, SQL> {
  return Object.fromEntries(keys.map((key) => [key, param(key)])) as Record<K, SQL>;
}

/** The keys of `row` a statement writes: those not `undefined` (drizzle writes `default` for those). */
export function definedKeys(row: Record<string, unknown>): string[] {
  return Object.keys(row).filter((key) => row[key] !== undefined);
}

/** `row`'s `keys` as the driver takes them (what drizzle does to a value it binds to the column). */
export function encodeRow<T extends PgTable>(
  table: T,
  row: Partial<T["$inferInsert"]>,
  keys: readonly string[],
): Record<string, unknown> {
  const columns = getTableColumns(table);
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (row as Record<string, unknown>)[key];
    const column = columns[key];
    if (column === undefined) throw new Error(`${getTableName(table)} has no column ${key}`);
    values[key] = value === null ? null : column.mapToDriverValue(value);
  }
  return values;
}

/**
 * Statements per table and row shape (which keys it writes): for generic writers (mergeUpsert) whose
 * table and columns are known only at the call.
 */
export class StatementsByShape<Result> {
  private readonly byKey = new Map<string, Statement<Record<string, unknown>, Result>>();

  constructor(private readonly build: (db: Db, table: PgTable, keys: readonly string[]) => unknown) {}

  for(table: PgTable, keys: readonly string[]): Statement<Record<string, unknown>, Result> {
    const key = `${getTableName(table)}(${keys.join(",")})`;
    let found = this.byKey.get(key);
    if (found === undefined) {
      // A value drizzle computes while building (`$defaultFn`, `$onUpdate`) would be built in once.
      for (const [name, column] of Object.entries(getTableColumns(table))) {
        if (column.defaultFn !== undefined || column.onUpdateFn !== undefined)
          throw new Error(`${key}: column ${name} has a value computed in JS; write it without a Statement`);
      }
      found = new Statement((db) => this.build(db, table, keys));
      this.byKey.set(key, found);
    }
    return found;
  }
}

/** What of a drizzle database (or transaction) a Statement uses: drizzle keeps both fields internal. */
interface DbParts {
  dialect: PgDialect;
  session: {
    prepareQuery(...args: unknown[]): { execute(values: Record<string, unknown>): Promise<unknown> };
  };
}

interface Recorded {
  /** The arguments the builder passed to `session.prepareQuery` (query, fields, name, …). */
  args: unknown[];
  /** What the builder set on the prepared query after (a select's `joinsNotNullableMap`). */
  extra: Record<string, unknown>;
}

/**
 * Runs `build` against a session that only records what the builder would prepare: the built query
 * and how to map its rows, independent of the connection, so one recording serves every database.
 * A query builder prepares when asked (`.prepare()`), `db.execute` at once. The statement is sent
 * without a name of its own (a named statement is the connection's business).
 */
function record(dialect: PgDialect, build: (db: Db) => unknown): Recorded {
  let args: unknown[] | undefined;
  const prepared: Record<string, unknown> = {
    setToken: () => prepared,
  };
  const session = {
    prepareQuery: (...given: unknown[]) => {
      args = given;
      return prepared;
    },
  };
  const db = new PgDatabase(dialect, session as never, undefined) as unknown as Db;
  const built = build(db) as { prepare?: (name: string) => unknown };
  if (args === undefined && typeof built.prepare === "function") built.prepare("recorded");
  if (args === undefined) throw new Error("the statement's builder prepared no query");
  args[2] = undefined;
  const { setToken: _, ...extra } = prepared;
  return { args, extra };
}
