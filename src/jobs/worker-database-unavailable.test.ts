import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "../../bench/lib/processes.ts";
import { testConfig } from "../config/env.ts";
import { type AppContext, closeContext, createContext } from "../context.ts";
import type { Job } from "./registry.ts";
import { startWorker } from "./worker.ts";

/** The worker on a PostgreSQL address where nothing listens (a closed port on this machine). */
describe("the worker while the database cannot be reached", () => {
  let ctx: AppContext;
  beforeAll(async () => {
    const port = await freePort();
    ctx = await createContext(testConfig({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere` }));
  });
  afterAll(async () => {
    await closeContext(ctx);
  });

  it("keeps running and keeps its schedule: each slot is logged as not run and the next one tries again", async () => {
    let runs = 0;
    const job: Job = {
      name: "test.every-second",
      schedule: "* * * * * *",
      description: "test job",
      run: async () => {
        runs += 1;
        return 0;
      },
    };
    const logged = vi.spyOn(ctx.logger, "error");
    const handle = startWorker(ctx, [job]);
    try {
      // Unhandled, the first slot's failure was an unhandled rejection (failing this run) and the
      // job stayed blocked: no second slot would ever be tried.
      await vi.waitFor(() => expect(logged.mock.calls.length).toBeGreaterThanOrEqual(2), {
        timeout: 6_000,
        interval: 100,
      });
    } finally {
      await handle.stop();
    }
    expect(runs).toBe(0);
    const [fields, message] = logged.mock.calls[0]!;
    expect(message).toBe("job slot not run");
    expect(fields).toMatchObject({ job: "test.every-second", reason: "ECONNREFUSED" });
    const slots = logged.mock.calls.map(([f]) => (f as { slot: string }).slot);
    expect(new Set(slots).size).toBe(slots.length);
  });
});
