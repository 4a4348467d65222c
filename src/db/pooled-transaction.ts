import { type SQL, sql } from "drizzle-orm";
import { NodePgSession, NodePgTransaction } from "drizzle-orm/node-postgres";
import type { PgDialect, PgTransactionConfig } from "drizzle-orm/pg-core";
import type pg from "pg";
import { statement } from "./prepared.ts";

/** What of drizzle's node-postgres session a transaction of our own needs (fields drizzle keeps private). */
interface SessionParts {
  dialect: PgDialect;
  schema: unknown;
  options: unknown;
  transaction(work: (tx: unknown) => Promise<unknown>, config?: PgTransactionConfig): Promise<unknown>;
}

/** drizzle marks it internal: the `isolation level …` words of a transaction's config. */
type WithConfigSql = { getTransactionConfigSQL(config: PgTransactionConfig): SQL };

/**
 * Makes `db.transaction` on a PostgreSQL pool give its connection back on every path. drizzle's own
 * (0.45.x) sends `begin` before the `try` that releases the connection, so a `begin` that failed (a
 * connection that died while it sat idle, one left inside an aborted transaction) stayed checked out
 * for good: after `poolSize` such failures every query waited forever. Here the connection always goes
 * back, and is closed instead of reused (pg-pool drops a connection released with an error) when its
 * state is unknown: its `begin` failed, or the rollback after a failure did. The error thrown is the
 * one that failed the transaction, never the rollback's. Nested transactions (savepoints) are drizzle's.
 */
export function releaseConnectionsAlways(db: unknown, pool: pg.Pool): void {
  const session = (db as { session: SessionParts }).session;
  const { dialect, schema, options } = session;
  const Session = NodePgSession as unknown as new (...args: unknown[]) => unknown;
  const Transaction = NodePgTransaction as unknown as new (
    ...args: unknown[]
  ) => WithConfigSql & { execute(query: SQL): Promise<unknown> };
  session.transaction = async (work, config) => {
    const client = await pool.connect().catch((err: unknown) => {
      throw new ConnectionCheckoutError(err);
    });
    const tx = new Transaction(dialect, new Session(client, dialect, schema, options), schema);
    let began = false;
    let unsure: Error | undefined;
    try {
      if (config) await tx.execute(sql`begin ${tx.getTransactionConfigSQL(config)}`);
      else await begin.run(tx as never, {});
      began = true;
      const result = await work(tx);
      // PostgreSQL answers a commit of a failed transaction with ROLLBACK, not an error: a failure
      // nobody saw (a statement whose error was caught, a held write) must not pass for a commit.
      const ended = (await commit.run(tx as never, {})) as { command?: string };
      if (ended.command !== "COMMIT") throw new TransactionRolledBackError(ended.command);
      return result;
    } catch (error) {
      if (!began) unsure = asError(error);
      else
        await tx.execute(sql`rollback`).catch((rollbackError: unknown) => {
          unsure = asError(rollbackError);
        });
      throw error;
    } finally {
      client.release(unsure);
    }
  };
}

// Built once (see Statement): two statements of every transaction.
const begin = statement()((db) => db.execute(sql`begin`));
const commit = statement()((db) => db.execute(sql`commit`));

/** A commit that PostgreSQL answered with ROLLBACK: a statement of the transaction had failed. */
export class TransactionRolledBackError extends Error {
  constructor(command: string | undefined) {
    super(
      `the transaction was rolled back at its commit (answered ${command ?? "nothing"}): one of its statements had failed`,
    );
    this.name = "TransactionRolledBackError";
  }
}

/** No pooled connection could be had for a transaction; `cause` says why (a refused socket, a server starting up). */
export class ConnectionCheckoutError extends Error {
  constructor(cause: unknown) {
    super(`no database connection for a transaction: ${asError(cause).message}`, { cause });
    this.name = "ConnectionCheckoutError";
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
