import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import { FairGate } from "../shared/gate.ts";

/** Whose statements these are: one key per HTTP request (see `asCaller`). */
const callers = new AsyncLocalStorage<object>();
/** Statements outside any caller (scheduled jobs, the CLI) take their turns as one caller. */
const NO_CALLER = {};

/** Runs `work` as a caller of its own: its statements take turns with other callers' on a fair pool. */
export function asCaller<T>(work: () => T): T {
  return callers.run({}, work);
}

const gates = new WeakMap<pg.Pool, FairGate<object>>();

/**
 * Makes the callers of `pool` take turns for its connections instead of queueing in arrival order:
 * a dashboard that sends twenty reads at once no longer holds up an API client's few that arrive
 * just after, each caller gets the next free connection in turn. At most `size` statements (or
 * checked-out connections: a read-only transaction, a cursor) run at once, the pool's own size, so
 * the pool itself never queues. Statements, transactions and results are unchanged.
 */
export function shareFairly(pool: pg.Pool, size: number): void {
  const gate = new FairGate<object>(size);
  gates.set(pool, gate);
  const key = () => callers.getStore() ?? NO_CALLER;
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => Promise<pg.PoolClient>;
  // The callback forms are pg-pool's own (its `query` checks a client out with one): straight through.
  const hasCallback = (args: unknown[]) => typeof args[args.length - 1] === "function";
  Object.assign(pool, {
    query: (...args: unknown[]) =>
      hasCallback(args) ? query(...args) : gate.run(key(), () => query(...args)),
    connect: async (...args: unknown[]) => {
      if (hasCallback(args)) return connect(...args);
      await gate.acquire(key());
      let client: pg.PoolClient;
      try {
        client = await connect();
      } catch (err) {
        gate.release();
        throw err;
      }
      // pg-pool gives each checkout a release of its own: the turn goes back with it, once.
      const release = client.release;
      let released = false;
      client.release = (err?: Error | boolean) => {
        if (!released) {
          released = true;
          gate.release();
        }
        return release(err);
      };
      return client;
    },
  });
}

/** Statements (and checkouts) of a fair pool waiting for their turn now; 0 for any other pool. */
export function waitingTurns(pool: pg.Pool): number {
  return gates.get(pool)?.queued ?? 0;
}
