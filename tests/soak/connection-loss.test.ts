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
import { systemActor } from "../../src/audit/index.ts";
import { replayFailed } from "../../src/payments/replay.ts";
import { closeContext, openContext } from "../support/context.ts";
import { onPostgres } from "../support/db.ts";
import { inboxStatuses, ledgerDigest } from "../support/ledger-digest.ts";
import { cloneTemplate } from "../support/postgres-template.ts";
import { sendUntilAccepted } from "../support/sender.ts";
import { cleanRun, soakKpis } from "../support/soak-reference.ts";
import { buildEventStream } from "../support/stripe-stream.ts";

const SECRET = "whsec_soak_connection_loss";
const EVENTS = 3_000;
/** After this many accepted events each, every connection to the database is terminated. */
const CUT_AT = new Set([400, 900, 1_400, 1_900, 2_400]);

describe.skipIf(!onPostgres)(
  "connection loss: the database ends every connection while events are posted",
  () => {
    const url = process.env.TEST_DATABASE_URL!;
    const drops: Array<() => Promise<void>> = [];
    let server: AppProcess | undefined;

    afterAll(async () => {
      await server?.kill("SIGKILL");
      for (const drop of drops) await drop();
    });

    it("keeps serving, processes every event exactly once and ends with the clean run's ledger and KPIs", async () => {
      const events = buildEventStream({ seed: 43, events: EVENTS }).slice(0, EVENTS);
      const faulty = await cloneTemplate(url);
      const clean = await cloneTemplate(url);
      drops.push(faulty.drop, clean.drop);

      server = await startServe(faulty.url, { env: { STRIPE_WEBHOOK_SECRET: SECRET, LOG_LEVEL: "error" } });
      const pid = server.child.pid;
      const admin = new pg.Client({ connectionString: faulty.url });
      await admin.connect();
      const cuts: Array<Promise<number>> = [];
      let report: Awaited<ReturnType<typeof sendUntilAccepted>>;
      try {
        const base = server.url;
        report = await sendUntilAccepted(
          events.map((event) => ({ event, target: () => base })),
          {
            secret: SECRET,
            concurrency: 16,
            onAccepted: (n) => {
              if (!CUT_AT.has(n)) return;
              cuts.push(
                admin
                  .query<{ n: number }>(
                    `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
                   WHERE datname = current_database() AND pid <> pg_backend_pid()`,
                  )
                  .then((r) => r.rows[0]!.n),
              );
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

      const ctx = await openContext(faulty.url, SECRET);
      try {
        const before = await inboxStatuses(ctx.db);
        // The worker's job: events whose delivery failed with their connection are stored `failed`.
        const drained = await replayFailed(ctx, systemActor, { limit: EVENTS });
        const after = await inboxStatuses(ctx.db);
        const reference = await cleanRun(clean.url, events, SECRET);
        const digest = await ledgerDigest(ctx.db);
        const kpis = await soakKpis(ctx);
        console.log(
          `connection-loss: ${EVENTS} events, every connection terminated ${cuts.length} times ` +
            `(${terminated.join(", ")} connections); ${report.attempts} deliveries (${report.retries} retried, ` +
            `statuses ${JSON.stringify(report.statuses)}); inbox before drain ${JSON.stringify(before)}, ` +
            `drained ${drained.attempted}; after ${JSON.stringify(after)}; ${Object.keys(digest).length} tables ` +
            `and ${Object.keys(kpis).length} KPIs equal to a clean run`,
        );
        expect(cuts.length).toBe(CUT_AT.size);
        expect(terminated.every((n) => n > 0)).toBe(true);
        expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(EVENTS);
        expect(after.received ?? 0).toBe(0);
        expect(after.failed ?? 0).toBe(0);
        expect(digest).toEqual(reference.digest);
        expect(kpis).toEqual(reference.kpis);
        expect(kpis.gross_revenue).toBeGreaterThan(0);
      } finally {
        await closeContext(ctx);
      }
    });
  },
);
