import type { Config } from "../../src/config/env.ts";
import { testConfig } from "../../src/config/env.ts";
import { type AppContext, closeContext, createContext } from "../../src/context.ts";
import { installOfflinePayments } from "../../src/offline/index.ts";
import { type Clock, fixedClock } from "../../src/shared/clock.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";

export interface TestContext extends AppContext {
  database: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  destroy(): Promise<void>;
}

export const TEST_NOW = "2026-06-15T12:00:00.000Z";

/** A full app context on a fresh database with a fixed clock and silent logs. */
export async function createTestContext(
  options: {
    env?: Record<string, string>;
    now?: string;
    config?: Config;
    poolSize?: number;
    /** On PGlite: the database starts as this dump (see createTestDatabase). */
    pgliteDump?: Blob;
    /** On Postgres: named statements on the webhook path (default true, as the app's). */
    preparedStatements?: boolean;
  } = {},
): Promise<TestContext> {
  installOfflinePayments();
  const database = await createTestDatabase({
    poolSize: options.poolSize,
    pgliteDump: options.pgliteDump,
    preparedStatements: options.preparedStatements,
  });
  const config = options.config ?? testConfig(options.env);
  const clock = fixedClock(options.now ?? TEST_NOW);
  return {
    config,
    database,
    db: database.db,
    readDb: database.db,
    logger: createLogger({ level: "silent", pretty: false }),
    clock,
    destroy: () => database.destroy(),
  };
}

export type { Clock };

/**
 * An app context on an existing database (its URL), as the server builds it: for checking in this
 * process what child processes wrote. Close it with `closeContext`.
 */
export async function openContext(databaseUrl: string, secret: string): Promise<AppContext> {
  return createContext(testConfig({ DATABASE_URL: databaseUrl, STRIPE_WEBHOOK_SECRET: secret }));
}

export { closeContext };
