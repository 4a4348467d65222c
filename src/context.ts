import type { Config } from "./config/env.ts";
import type { Db } from "./db/client.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { installOfflinePayments } from "./offline/index.ts";
import { type Clock, systemClock } from "./shared/clock.ts";
import { createLogger, type Logger, logFormat } from "./shared/logger.ts";

/** What every adapter (web, CLI, worker) gets at start-up and passes down. */
export interface AppContext {
  config: Config;
  database: Database;
  /** Primary database: every write. */
  db: Db;
  /**
   * Dashboards, API reads and exports: the replica when DATABASE_REPLICA_URL is set, otherwise (on
   * PostgreSQL) a small pool of its own on the primary, so reads never queue behind a burst of
   * webhook writes holding every connection of the main pool. Requests take turns for its
   * connections (`shareFairly`): one page's many reads do not hold up another request's few.
   */
  readDb: Db;
  replica?: Database;
  /** The primary's read pool (PostgreSQL without a replica). */
  readPool?: Database;
  logger: Logger;
  clock: Clock;
}

/**
 * The first parameter of every service function: its dependencies in one object. Config (the
 * reporting time zone included) and the clock come from here, never read from the environment or `new Date()`.
 * Inside a transaction, pass `{ ...ctx, db: tx }`.
 */
export type ServiceContext = Pick<AppContext, "db" | "readDb" | "config" | "clock" | "logger">;

/** Connections of the primary's read pool: a few analysts' dashboards at once. */
const READ_POOL_SIZE = 4;

export async function createContext(
  config: Config,
  options: { clock?: Clock; logger?: Logger; database?: Database } = {},
): Promise<AppContext> {
  installOfflinePayments();
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      preparedStatements: config.databasePreparedStatements,
    }));
  const replica = config.replicaUrl
    ? await openDatabase({ databaseUrl: config.replicaUrl, fair: true })
    : undefined;
  // Connects lazily: a command that never reads through readDb opens no connection.
  const readPool =
    !replica && !options.database && database.kind === "postgres" && config.databaseUrl
      ? await openDatabase({ databaseUrl: config.databaseUrl, poolSize: READ_POOL_SIZE, fair: true })
      : undefined;
  const logger =
    options.logger ??
    createLogger({
      level: config.logLevel,
      pretty: logFormat({ env: config.env, isTTY: process.stdout.isTTY === true }) === "pretty",
    });
  return {
    config,
    database,
    db: database.db,
    readDb: replica?.db ?? readPool?.db ?? database.db,
    replica,
    readPool,
    logger,
    clock: options.clock ?? systemClock,
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.replica?.close();
  await ctx.readPool?.close();
  await ctx.database.close();
}
