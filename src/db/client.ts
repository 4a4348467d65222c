import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import type { PGlite } from "@electric-sql/pglite";
import { DrizzleQueryError, type ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";
import { shareFairly } from "./fair-pool.ts";
import { drizzleClient } from "./pglite-parsers.ts";
import { ConnectionCheckoutError, releaseConnectionsAlways } from "./pooled-transaction.ts";

/**
 * A database handle or an open transaction: services accept either. Without drizzle's relational
 * queries (`db.query.…`, unused here): their builders, one per table, were made anew for every
 * transaction, a few percent of a webhook delivery's CPU.
 */
type NoSchema = Record<string, never>;
export type Db = PgDatabase<PgQueryResultHKT, NoSchema>;
export type Tx = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where it lives, without credentials (for logs and readiness). */
  label: string;
  /** `host:port` of a PostgreSQL server (postgres only), for connection errors. */
  address?: string;
  close(): Promise<void>;
  /** The node-postgres pool (postgres only): advisory locks, LISTEN, benchmarks. */
  pool?: pg.Pool;
  /** The embedded engine (pglite only): backup/restore. */
  pglite?: PGlite;
}

// Postgres returns int8/numeric as strings by default; our counts and sums fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Where statements are sent as named (prepared) statements: see withPreparedStatements. */
const preparedScope = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its statements sent as named statements on a pool opened with
 * `preparedStatements`: each connection parses and plans a statement text once and binds it every
 * time after (on the webhook path the backends' CPU per event fell by about 40% in paired bench runs).
 * For paths of key lookups and inserts only (the webhook path), where PostgreSQL's generic plans are
 * as good as custom ones; reports keep unnamed statements and their custom plans. Elsewhere
 * (PGlite, a pool without the option) it only runs `work`.
 *
 * Inside it a transaction also spends fewer round trips: its `begin`, and the writes sent through
 * `withoutAnswer`, are held back and written in front of the transaction's next statement, all before
 * that statement's one Sync (see PreparingClient).
 */
export function withPreparedStatements<T>(work: () => Promise<T>): Promise<T> {
  return preparedScope.run(true, work);
}

const unansweredScope = new AsyncLocalStorage<true>();

/**
 * Runs a write (or a lock) whose answer nobody reads (it returns nothing, and a failure may surface at the
 * transaction's next statement or its commit instead of here). Inside withPreparedStatements, in a
 * transaction, on a connection that has prepared the statement, it is held and sent with the
 * transaction's next statement, saving a round trip; anywhere else it simply runs. Either way it
 * commits or rolls back with its transaction.
 */
export async function withoutAnswer(write: () => PromiseLike<unknown>): Promise<void> {
  // Awaited inside the scope: a drizzle builder is lazy and sends its statement only when awaited,
  // so returning it from `run` would send it outside the scope, never held.
  await unansweredScope.run(true, async () => {
    await write();
  });
}

/** Distinct statement texts one connection prepares; beyond it statements run unnamed. */
export const MAX_PREPARED_PER_CONNECTION = 200;

/** A prepared statement held back, to be bound and executed in front of the next one. */
interface Held {
  name: string;
  values: unknown[];
}

/**
 * A server that accepts a connection but never completes its start-up (a stuck proxy, a host gone
 * behind a load balancer) would hold the statement that opened it, and everything queued behind it,
 * for good: node-postgres waits without limit. Past this long the attempt fails as unreachable.
 */
const CONNECT_TIMEOUT_MS = 10_000;
/** Idle pooled connections send TCP keep-alive probes after this long, so a peer gone silently is noticed. */
const KEEPALIVE_DELAY_MS = 30_000;

/**
 * A pg client whose connection attempt ends after `connectTimeoutMs` with an error coded ETIMEDOUT
 * (pg's own says only "timeout expired"), so pages and the API answer 503 and start-up reports the
 * database unreachable; with TCP keep-alive on. Only opening a connection is timed: a statement
 * waiting its turn for a pooled connection under load is not (pg-pool's `connectionTimeoutMillis`
 * would time both).
 */
export class TimedClient extends pg.Client {
  static connectTimeoutMs = CONNECT_TIMEOUT_MS;

  constructor(config: pg.ClientConfig = {}) {
    super({
      ...config,
      connectionTimeoutMillis: TimedClient.connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
  }

  // pg's connect() is overloaded (callback or promise); both report a timed-out attempt coded.
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloads cannot be restated one by one
  override connect(callback?: any): any {
    if (callback)
      return super.connect((err: Error, ...rest: unknown[]) => callback(err && coded(err), ...rest));
    return super.connect().catch((err: unknown) => {
      throw coded(err);
    });
  }
}

function coded(err: unknown): unknown {
  if (!(err instanceof Error) || err.message !== "timeout expired") return err;
  return Object.assign(
    new Error(
      `the database server did not complete the connection within ${TimedClient.connectTimeoutMs} ms`,
      {
        cause: err,
      },
    ),
    { code: "ETIMEDOUT" },
  );
}

/**
 * A pg client that names the statements sent inside withPreparedStatements (one name per text), and
 * there saves round trips: a transaction's `begin`, and its writes sent through `withoutAnswer`, are
 * not sent on their own but held and written in front of the transaction's next statement, all before
 * that statement's one Sync (see QueryAfterHeld). Only statements this connection has prepared are
 * held (no Parse of their own), a write only inside a transaction; every transaction ends with a
 * commit that takes them along or a rollback that drops them.
 */
class PreparingClient extends TimedClient {
  private readonly names = new Map<string, string>();
  private held: Held[] = [];

  // Overrides pg's overloaded query(); every form passes through unchanged but for the name.
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloads cannot be restated one by one
  override query(config: any, values?: any, callback?: any): any {
    const nameable =
      config !== null &&
      typeof config === "object" &&
      typeof config.text === "string" &&
      config.name === undefined &&
      typeof config.submit !== "function";
    const done = typeof values === "function" ? values : callback;
    const params = typeof values === "function" ? undefined : values;
    if (nameable && preparedScope.getStore() === true) {
      let name = this.names.get(config.text);
      if (name === undefined && this.names.size < MAX_PREPARED_PER_CONNECTION) {
        name = `revintel_${this.names.size + 1}`;
        this.names.set(config.text, name);
      }
      if (name !== undefined) {
        const held =
          done === undefined && this.mayHold(config.text, name)
            ? wireValues(params ?? config.values ?? [])
            : undefined;
        if (held !== undefined) {
          this.held.push({ name, values: held });
          return Promise.resolve(config.text === "begin" ? HELD_BEGIN : HELD_WRITE);
        }
        config = { ...config, name };
      }
    }
    if (this.held.length === 0) return super.query(config, values, callback);
    const held = this.held;
    this.held = [];
    const text: unknown = typeof config === "string" ? config : config?.text;
    if (typeof text === "string" && /^rollback\b/i.test(text)) {
      // What is held would be undone: drop it (a held write that would have failed must not leave
      // the connection in a failed transaction, with the rollback skipped). A transaction whose
      // `begin` is still held never started: nothing to send.
      if (held[0]?.name === this.names.get("begin") && done === undefined) {
        return Promise.resolve(HELD_ROLLBACK);
      }
      return super.query(config, values, callback);
    }
    if (typeof config === "string") config = { text: config };
    if (typeof config?.text !== "string" || typeof config.submit === "function") {
      // Never met where statements are held (drizzle sends text and values). Sending the held ones
      // apart could run this one outside their transaction: refuse it.
      const refused = new Error("Only a statement of text and values may follow held statements");
      if (done) return void process.nextTick(() => done(refused));
      return Promise.reject(refused);
    }
    const statement = { ...config, values: params ?? config.values };
    if (done) return void super.query(new QueryAfterHeld(held, statement, done));
    return new Promise((resolve, reject) => {
      super.query(new QueryAfterHeld(held, statement, (err, res) => (err ? reject(err) : resolve(res))));
    });
  }

  /** Whether a statement may wait for the next one: see the class comment. */
  private mayHold(text: string, name: string): boolean {
    if (parsedOn(this.connection)[name] !== text) return false;
    const inTransaction =
      this.held.length > 0 || (this as unknown as { _txStatus?: string })._txStatus === "T";
    if (text === "begin") return !inTransaction;
    return inTransaction && unansweredScope.getStore() === true;
  }
}

/** The statements pg knows this connection has prepared (name → text); pg's types leave it out. */
function parsedOn(connection: pg.Connection): Record<string, string | undefined> {
  return (connection as unknown as { parsedStatements: Record<string, string | undefined> }).parsedStatements;
}

const { prepareValue } = createRequire(import.meta.url)("pg/lib/utils.js") as {
  prepareValue(value: unknown): unknown;
};

/**
 * Parameters as pg writes them (text, a Buffer or null), mapped when a statement is held so that a
 * value pg cannot send fails now, unheld, as pg reports it; `undefined` then.
 */
function wireValues(values: unknown[]): unknown[] | undefined {
  try {
    return values.map((v) => prepareValue(v));
  } catch {
    return undefined;
  }
}

/** What drizzle gets back for a held statement (it reads nothing of it). */
const HELD_BEGIN = { command: "BEGIN", rowCount: null, oid: 0, rows: [], fields: [] };
const HELD_ROLLBACK = { command: "ROLLBACK", rowCount: null, oid: 0, rows: [], fields: [] };
const HELD_WRITE = { command: "", rowCount: null, oid: 0, rows: [], fields: [] };

/**
 * A statement written behind held ones (statements this connection has prepared, so no Parse and no
 * ParseComplete of theirs): Bind and Execute of each held one, then the statement's own messages and
 * the one Sync. PostgreSQL runs them in order; should one fail, it skips the rest up to the Sync and
 * answers that error, so a statement never runs after a failed `begin` (outside the transaction) and
 * a failed held write fails the statement (and so the transaction) that took it along. The held
 * statements' CommandCompletes are not part of the statement's result.
 */
class QueryAfterHeld extends pg.Query {
  private unanswered: number;

  constructor(
    private readonly held: Held[],
    config: pg.QueryConfig,
    callback: (err: Error | null, res: pg.QueryResult) => void,
  ) {
    super(config);
    this.unanswered = held.length;
    // pg reads the callback from the query object; set here so the typed constructor stays pg's.
    (this as unknown as { callback: typeof callback }).callback = callback;
  }

  /** Always the extended protocol: a simple query would leave the held statements out. */
  requiresPreparation(): boolean {
    return true;
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's Query internals are untyped
  prepare(connection: any): void {
    for (const { name, values } of this.held) {
      connection.bind({ portal: "", statement: name, values });
      connection.execute({ portal: "" });
    }
    // biome-ignore lint/suspicious/noExplicitAny: pg's Query internals are untyped
    (pg.Query.prototype as any).prepare.call(this, connection);
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's Query internals are untyped
  handleDataRow(msg: any): void {
    // A held statement's rows (a lock taken with SELECT … FOR UPDATE) are nobody's.
    if (this.unanswered > 0) return;
    // biome-ignore lint/suspicious/noExplicitAny: pg's Query internals are untyped
    (pg.Query.prototype as any).handleDataRow.call(this, msg);
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's Query internals are untyped
  handleCommandComplete(msg: any, connection: any): void {
    if (this.unanswered > 0) {
      this.unanswered--;
      return;
    }
    // biome-ignore lint/suspicious/noExplicitAny: pg's Query internals are untyped
    (pg.Query.prototype as any).handleCommandComplete.call(this, msg, connection);
  }
}

/** Connections in a PostgreSQL pool unless `poolSize` says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

export interface OpenOptions {
  databaseUrl?: string;
  /** PostgreSQL: name the statements sent inside withPreparedStatements (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements?: boolean;
  /** Directory for the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
  /** PostgreSQL: callers (HTTP requests) take turns for the pool's connections (`shareFairly`): read pools. */
  fair?: boolean;
  /** A PGlite data dump (tarball) to start from, used by tests for a fast migrated database. */
  loadDataDir?: Blob | File;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      Client: options.preparedStatements ? PreparingClient : TimedClient,
    });
    pool.on("error", () => {
      // An idle client lost its connection; the pool replaces it. Queries still report their own errors.
    });
    // A connection that dies while checked out (a transaction's, a job lock's) emits `error` too, and
    // with nobody listening that would end the process (found by a test that terminates a
    // transaction's backend). Its statement reports the failure; the pool drops it when it comes back.
    pool.on("connect", (client) => client.on("error", () => {}));
    if (options.fair) shareFairly(pool, options.poolSize ?? DEFAULT_POOL_SIZE);
    const url = new URL(options.databaseUrl);
    const db = drizzleNodePg(pool, { casing: "snake_case" });
    releaseConnectionsAlways(db, pool);
    return {
      db: db as unknown as Db,
      kind: "postgres",
      label: `postgres://${url.hostname}:${url.port || 5432}${url.pathname}`,
      address: `${url.hostname}:${url.port || 5432}`,
      pool,
      close: () => pool.end(),
    };
  }
  // The embedded engine (a WebAssembly Postgres, about 50 MB resident) loads only when it is used.
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  const dir = options.dataDir ?? "./data";
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir.startsWith("memory://") ? undefined : dir, {
    loadDataDir: options.loadDataDir,
  });
  return {
    db: drizzlePglite(drizzleClient(client) as PGlite, { casing: "snake_case" }) as unknown as Db,
    kind: "pglite",
    label: dir.startsWith("memory://") ? "embedded (memory)" : `embedded (${dir})`,
    pglite: client,
    close: () => client.close(),
  };
}

/** Socket errors that mean no server answered at the address (as opposed to a query that failed). */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
]);

/** The database server could not be reached; the message names host:port, never the credentials. */
export class DatabaseUnreachableError extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`the database at ${address} cannot be reached (${reason})`);
    this.name = "DatabaseUnreachableError";
  }
}

/** The socket error code behind a failed query (drizzle wraps it; Node may group several attempts). */
function unreachableCode(err: unknown): string | undefined {
  return findCause(err, (e) => {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" && UNREACHABLE.has(code) ? code : undefined;
  });
}

/** The first answer `pick` gives along an error's causes (and the errors Node grouped in it). */
function findCause(err: unknown, pick: (err: Error) => string | undefined, depth = 0): string | undefined {
  if (!(err instanceof Error) || depth > 5) return undefined;
  const found = pick(err);
  if (found !== undefined) return found;
  if (err instanceof AggregateError)
    for (const inner of err.errors) {
      const innerFound = findCause(inner, pick, depth + 1);
      if (innerFound !== undefined) return innerFound;
    }
  return findCause(err.cause, pick, depth + 1);
}

/**
 * SQLSTATEs of a server that cannot serve the statement now, whatever it was: shutting down or
 * restarting (57P01–57P03), out of connections (53300), or a connection failure (class 08).
 */
const UNAVAILABLE_SQLSTATE = /^(57P0[123]|53300|08...)$/;
/** What node-postgres says, without a code, of a connection that ended under a statement. */
const LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|Client was closed)/;

/**
 * Why a failed statement says the database cannot be used right now (a socket code, a SQLSTATE or
 * `connection_lost`), or undefined when the statement itself failed, or the error is not the
 * database's (a refused connection to Stripe or a rates source is not one). Pages and the API
 * answer such failures 503, to be retried, instead of 500.
 */
export function databaseUnavailable(err: unknown): string | undefined {
  return findCause(err, (e) =>
    e instanceof DrizzleQueryError || e instanceof ConnectionCheckoutError || e instanceof pg.DatabaseError
      ? findCause(e, (inner) => {
          const code = (inner as { code?: unknown }).code;
          if (typeof code === "string" && (UNREACHABLE.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
            return code;
          return LOST_CONNECTION.test(inner.message) ? "connection_lost" : undefined;
        })
      : undefined,
  );
}

/**
 * Fails fast with a DatabaseUnreachableError when a PostgreSQL server does not answer, instead of
 * the first query's error (`Failed query: SELECT to_regclass(…)`). The embedded database always answers.
 */
export async function assertReachable(database: Database): Promise<void> {
  if (!database.pool) return;
  try {
    await database.pool.query("SELECT 1");
  } catch (err) {
    const code = unreachableCode(err);
    if (code) throw new DatabaseUnreachableError(database.address ?? database.label, code);
    throw err;
  }
}
