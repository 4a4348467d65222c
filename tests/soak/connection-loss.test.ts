/**
 * Connection loss: `revintel serve` runs as a child process on Postgres; while 3,000 signed events
 * are being posted (16 in flight), every connection of its database is terminated five times (what a
 * PostgreSQL restart, a failover or a pooler recycling its server connections does to the app). The
 * process must live through it, the sender retries whatever got no 2xx, as Stripe does, then the
 * worker's re-drive runs. Every event must be in the inbox once and processed, and the ledger and
 * KPIs must equal a clean, fault-free run.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type AppProcess, startServe } from "../../bench/lib/processes.ts";
import { onPostgres } from "../support/db.ts";
import { cloneTemplate } from "../support/postgres-template.ts";
import { type SendReport, sendUntilAccepted } from "../support/sender.ts";
import { expectAppliedOnceAsClean, settleAgainstCleanRun } from "../support/soak-reference.ts";
import { buildEventStream } from "../support/stripe-stream.ts";

const SECRET = "whsec_soak_connection_loss";
const EVENTS = 3_000;
/** After this many accepted events each, every connection to the database is terminated. */
const CUT_AT = new Set([400, 900, 1_400, 1_900, 2_400]);

describe.skipIf(!onPostgres)("connection loss: every connection ended while events are posted", () => {
  const drops: Array<() => Promise<void>> = [];
  let server: AppProcess | undefined;

  afterAll(async () => {
    await server?.kill("SIGKILL");
    for (const drop of drops) await drop();
  });

  it("keeps serving, processes every event exactly once and ends with the clean run's ledger and KPIs", async () => {
    const events = buildEventStream({ seed: 43, events: EVENTS }).slice(0, EVENTS);
    const faulty = await cloneTemplate(process.env.TEST_DATABASE_URL!);
    const clean = await cloneTemplate(process.env.TEST_DATABASE_URL!);
    drops.push(faulty.drop, clean.drop);

    server = await startServe(faulty.url, { env: { STRIPE_WEBHOOK_SECRET: SECRET, LOG_LEVEL: "error" } });
    const pid = server.child.pid;
    const admin = new pg.Client({ connectionString: faulty.url });
    await admin.connect();
    const endEveryConnection = async () => {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      return rows[0]!.n;
    };
    const cuts: Array<Promise<number>> = [];
    let report: SendReport;
    try {
      const base = server.url;
      report = await sendUntilAccepted(
        events.map((event) => ({ event, target: () => base })),
        {
          secret: SECRET,
          concurrency: 16,
          onAccepted: (n) => {
            if (CUT_AT.has(n)) cuts.push(endEveryConnection());
          },
        },
      );
    } finally {
      await admin.end();
    }
    const terminated = await Promise.all(cuts);
    // The same process answered throughout: it never died and was never restarted.
    expect(server.child.exitCode).toBeNull();
    expect(server.child.pid).toBe(pid);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const run = await settleAgainstCleanRun(faulty.url, clean.url, events, SECRET);
    console.log(
      `connection-loss: ${EVENTS} events, every connection terminated ${cuts.length} times ` +
        `(${terminated.join(", ")} connections); ${report.attempts} deliveries (${report.retries} retried, ` +
        `statuses ${JSON.stringify(report.statuses)}); inbox before drain ${JSON.stringify(run.before)}, ` +
        `drained ${run.drained}; after ${JSON.stringify(run.after)}; ${Object.keys(run.digest).length} tables ` +
        `and ${Object.keys(run.kpis).length} KPIs equal to a clean run`,
    );
    expect(cuts.length).toBe(CUT_AT.size);
    expect(terminated.every((n) => n > 0)).toBe(true);
    expectAppliedOnceAsClean(run, EVENTS);
  });
});
