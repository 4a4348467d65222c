/**
 * Crash safety: `revintel serve` runs as a child process on Postgres; while 5,000 signed events are
 * being posted (16 in flight) it is killed with SIGKILL and restarted on the same port. The sender
 * retries whatever got no 2xx, as Stripe does; then the worker's re-drive runs. Every event must be
 * in the inbox once and processed, and the ledger and KPIs must equal a clean, fault-free run.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type AppProcess, freePort, startServe } from "../../bench/lib/processes.ts";
import { onPostgres } from "../support/db.ts";
import { cloneTemplate } from "../support/postgres-template.ts";
import { sendUntilAccepted } from "../support/sender.ts";
import { expectAppliedOnceAsClean, settleAgainstCleanRun } from "../support/soak-reference.ts";
import { buildEventStream } from "../support/stripe-stream.ts";

const SECRET = "whsec_soak_crash";
const EVENTS = 5_000;
const KILL_AT = 1_500;

describe.skipIf(!onPostgres)("crash safety: SIGKILL while events are posted", () => {
  const url = process.env.TEST_DATABASE_URL!;
  const drops: Array<() => Promise<void>> = [];
  let server: AppProcess | undefined;

  afterAll(async () => {
    await server?.kill("SIGKILL");
    for (const drop of drops) await drop();
  });

  it("processes every event exactly once and ends with the clean run's ledger and KPIs", async () => {
    const events = buildEventStream({ seed: 42, events: EVENTS }).slice(0, EVENTS);
    const faulty = await cloneTemplate(url);
    const clean = await cloneTemplate(url);
    drops.push(faulty.drop, clean.drop);

    const port = await freePort();
    const env = { STRIPE_WEBHOOK_SECRET: SECRET, LOG_LEVEL: "error" };
    server = await startServe(faulty.url, { port, env });
    const base = server.url;
    let killed: Promise<void> | undefined;
    let restarts = 0;
    const report = await sendUntilAccepted(
      events.map((event) => ({ event, target: () => base })),
      {
        secret: SECRET,
        concurrency: 16,
        onAccepted: (n) => {
          if (n !== KILL_AT) return;
          // Kill mid-stream (requests are in flight) and bring a new process up on the same port.
          killed = (async () => {
            await server!.kill("SIGKILL");
            server = await startServe(faulty.url, { port, env });
            restarts += 1;
          })();
        },
      },
    );
    await killed;
    expect(restarts).toBe(1);

    const run = await settleAgainstCleanRun(faulty.url, clean.url, events, SECRET);
    console.log(
      `crash-safety: ${EVENTS} events, SIGKILL after ${KILL_AT} accepted + 1 restart; ` +
        `${report.attempts} deliveries (${report.retries} retried, statuses ${JSON.stringify(report.statuses)}); ` +
        `inbox before drain ${JSON.stringify(run.before)}, drained ${run.drained}; ` +
        `after ${JSON.stringify(run.after)}; ${Object.keys(run.digest).length} tables and ${Object.keys(run.kpis).length} KPIs equal to a clean run`,
    );
    expect(report.retries).toBeGreaterThan(0);
    expectAppliedOnceAsClean(run, EVENTS);
  });
});
