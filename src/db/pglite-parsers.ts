import type { PGlite, QueryOptions, Transaction } from "@electric-sql/pglite";
import { TransactionRolledBackError } from "./pooled-transaction.ts";

/**
 * The type parsers drizzle's PGlite session passes with every query: timestamps, dates, intervals
 * and their arrays come back as the text Postgres sent, and drizzle's columns convert them.
 */
const DRIZZLE_RAW_TYPES = [1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182] as const;
const raw = (value: string) => value;

type Client = Pick<PGlite, "query" | "transaction">;

/** The options without drizzle's per-query parsers (they are installed on the engine instead). */
function shared(options: QueryOptions | undefined): QueryOptions | undefined {
  const parsers = options?.parsers;
  if (!parsers || Object.keys(parsers).length !== DRIZZLE_RAW_TYPES.length) return options;
  if (!DRIZZLE_RAW_TYPES.every((oid) => oid in parsers)) return options;
  const { parsers: _dropped, ...rest } = options;
  return rest;
}

/**
 * A PGlite client for drizzle that gives the same rows with less work per query. PGlite merges
 * per-query parsers into a fresh copy of its ~300 default parsers on every call (a few tenths of a
 * millisecond, about a fifth of the demo seed's CPU time); drizzle passes the same handful each
 * time. They are installed on the engine once and dropped from each call instead. The engine's
 * other users (backup's CHECKPOINT and data-directory dump) read no rows, so only drizzle's queries
 * see the changed defaults, and they asked for exactly these. Its transactions refuse to commit a
 * failed one (`refuseAborted`).
 */
export function drizzleClient(client: PGlite): Client {
  for (const oid of DRIZZLE_RAW_TYPES) client.parsers[oid] = raw;
  const wrapTx = (tx: Transaction): Transaction => ({
    query: (text, params, options) => tx.query(text, params, shared(options)),
    sql: (strings, ...params) => tx.sql(strings, ...params),
    exec: (text, options) => tx.exec(text, options),
    rollback: () => tx.rollback(),
    listen: (channel, callback) => tx.listen(channel, callback),
    get closed() {
      return tx.closed;
    },
  });
  return {
    query: (text, params, options) => client.query(text, params, shared(options)),
    transaction: (fn) =>
      client.transaction(async (tx) => {
        const result = await fn(wrapTx(tx));
        await refuseAborted(tx);
        return result;
      }),
  } as Client;
}

/**
 * PGlite commits whatever its callback leaves, and PostgreSQL answers the commit of a failed
 * transaction (a statement whose error was caught) with ROLLBACK, not an error, which PGlite does not
 * look at: such a transaction must not pass for committed, as on a pool (`releaseConnectionsAlways`).
 * One statement before the commit tells: in a failed transaction, every statement fails (25P02).
 */
async function refuseAborted(tx: Transaction): Promise<void> {
  if (tx.closed) return;
  try {
    await tx.query("SELECT 1");
  } catch (error) {
    if ((error as { code?: string }).code === "25P02") throw new TransactionRolledBackError("ROLLBACK");
    throw error;
  }
}
