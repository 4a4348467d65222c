/**
 * Scale-out: two `revintel serve` and two `revintel worker` processes on one Postgres. Events are
 * load-balanced across the two servers, and 1 in 5 is sent to both at the same time (a duplicate
 * delivery racing itself). Every event must be applied once, every scheduled job slot must have run
 * exactly once across both workers (the job_runs row claims it), and the ledger and KPIs must equal
 * a single-process run. The every-minute snapshot job runs every 5 seconds here (JOB_SCHEDULES), so
 * the workers race over several whole slots without the test waiting minutes for the clock (a run
 * takes a few hundred milliseconds at this size, far shorter than a slot).
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type AppProcess, startServe, startWorkerProcess } from "../../bench/lib/processes.ts";
import { systemActor } from "../../src/audit/index.ts";
import { queryRows } from "../../src/db/sql.ts";
import { replayFailed } from "../../src/payments/replay.ts";
import { closeContext, openContext } from "../support/context.ts";
import { onPostgres } from "../support/db.ts";
import { inboxStatuses, ledgerDigest } from "../support/ledger-digest.ts";
import { cloneTemplate } from "../support/postgres-template.ts";
import { sendUntilAccepted } from "../support/sender.ts";
import { cleanRun, soakKpis } from "../support/soak-reference.ts";
import { buildEventStream } from "../support/stripe-stream.ts";

const SECRET = "whsec_soak_scale";
const EVENTS = 2_000;
/** The snapshot job's slot here; production's built-in schedule is every minute. */
const SLOT_MS = 5_000;
const SLOT_JOB = "snapshots.rebuild-dirty";
/** Workers run at least this long once both are up, so they race over at least four whole slots. */
const MIN_WORKER_MS = 30_000;

/** When the worker logged "worker started"; rejects if it exits first. */
function upAt(worker: AppProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-1000);
      if (!seen.includes("worker started")) return;
      worker.child.stdout?.off("data", onData);
      resolve(Date.now());
    };
    worker.child.stdout?.on("data", onData);
    worker.child.once("exit", (code) => reject(new Error(`worker exited ${code}:\n${worker.output()}`)));
  });
}

describe.skipIf(!onPostgres)("scale-out: two servers and two workers on one Postgres", () => {
  const url = process.env.TEST_DATABASE_URL!;
  const procs: AppProcess[] = [];
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const p of procs) await p.kill("SIGKILL");
    for (const drop of drops) await drop();
  });

  it("applies each event once, runs every job slot exactly once and matches a single-process run", async () => {
    const events = buildEventStream({ seed: 7, events: EVENTS }).slice(0, EVENTS);
    const shared = await cloneTemplate(url);
    const single = await cloneTemplate(url);
    drops.push(shared.drop, single.drop);

    const env = { STRIPE_WEBHOOK_SECRET: SECRET, LOG_LEVEL: "error" };
    const [a, b] = await Promise.all([startServe(shared.url, { env }), startServe(shared.url, { env })]);
    procs.push(a, b);
    // Info-level logs: a worker is up once it logs "worker started" (its schedules are armed).
    const workerEnv = {
      ...env,
      LOG_LEVEL: "info",
      JOB_SCHEDULES: `${SLOT_JOB}=*/${SLOT_MS / 1000} * * * * *`,
    };
    const workers = [startWorkerProcess(shared.url, workerEnv), startWorkerProcess(shared.url, workerEnv)];
    const workersUp = Promise.all(workers.map(upAt)).then((times) => Math.max(...times));
    workersUp.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    procs.push(...workers);

    // Round-robin, and every 5th event to both servers at once.
    const deliveries = events.flatMap((event, i) => {
      const one = { event, target: () => (i % 2 === 0 ? a.url : b.url) };
      return i % 5 === 0 ? [one, { event, target: () => (i % 2 === 0 ? b.url : a.url) }] : [one];
    });
    const duplicates = deliveries.length - events.length;
    const report = await sendUntilAccepted(deliveries, { secret: SECRET, concurrency: 16 });
    // The single-process reference run uses its own database: it runs while the workers keep going.
    const referenceRun = cleanRun(single.url, events, SECRET);
    referenceRun.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    const workersStarted = await workersUp;
    const waitMore = MIN_WORKER_MS - (Date.now() - workersStarted);
    if (waitMore > 0) await new Promise((r) => setTimeout(r, waitMore));
    const workersStopped = Date.now();
    for (const w of workers) await w.kill("SIGTERM");

    const ctx = await openContext(shared.url, SECRET);
    try {
      const drained = await replayFailed(ctx, systemActor, { limit: EVENTS });
      const statuses = await inboxStatuses(ctx.db);
      const runs = await queryRows<{
        job: string;
        slot: Date;
        worker: string;
        status: string;
        started_at: Date;
        finished_at: Date | null;
      }>(
        ctx.db,
        sql`SELECT job, slot, worker, status, started_at, finished_at FROM job_runs ORDER BY job, slot`,
      );
      const reference = await referenceRun;
      const digest = await ledgerDigest(ctx.db);
      const kpis = await soakKpis(ctx);

      // Every whole slot both workers were up for: the snapshot job ran exactly once.
      const slotJob = runs.filter((r) => r.job === SLOT_JOB);
      const firstSlot = Math.ceil((workersStarted + 1_000) / SLOT_MS) * SLOT_MS;
      const expectedSlots: number[] = [];
      for (let m = firstSlot; m < workersStopped - 5_000; m += SLOT_MS) expectedSlots.push(m);
      const ranSlots = slotJob.map((r) => new Date(r.slot).getTime());
      const longestMs = Math.max(
        ...slotJob.map(
          (r) => new Date(r.finished_at ?? r.started_at).getTime() - new Date(r.started_at).getTime(),
        ),
      );
      const perSlot = expectedSlots.map((m) => ranSlots.filter((s) => s === m).length);
      const slotKeys = new Set(runs.map((r) => `${r.job}@${new Date(r.slot).toISOString()}`));
      console.log(
        `scale-out: ${EVENTS} events + ${duplicates} simultaneous duplicates over 2 servers ` +
          `(${report.attempts} deliveries, statuses ${JSON.stringify(report.statuses)}); inbox ${JSON.stringify(statuses)} ` +
          `after draining ${drained.attempted}; ${runs.length} job runs by ${new Set(runs.map((r) => r.worker)).size} ` +
          `workers (${slotJob.length} snapshot runs for ${expectedSlots.length} whole ${SLOT_MS / 1000}-second slots, each exactly once, the longest ${longestMs} ms:
          ${JSON.stringify(runs.map((r) => [r.job, new Date(r.slot).toISOString().slice(11, 19), r.worker.split(":")[1]]))}); ledger (${Object.keys(digest).length} tables) ` +
          `and KPIs equal a single-process run`,
      );
      expect(Object.values(statuses).reduce((x, y) => x + y, 0)).toBe(EVENTS);
      expect(statuses.received ?? 0).toBe(0);
      expect(statuses.failed ?? 0).toBe(0);
      expect(slotKeys.size).toBe(runs.length);
      expect(expectedSlots.length).toBeGreaterThanOrEqual(3);
      // Exactly once: the claim row stops a second run, and a slot is lost only if BOTH workers are
      // still busy with this job's earlier slots (croner's overrun protection), which a run far
      // shorter than a slot never causes.
      expect(perSlot).toEqual(expectedSlots.map(() => 1));
      expect(slotJob.length).toBeGreaterThanOrEqual(1);
      expect(runs.every((r) => r.status !== "failed")).toBe(true);
      expect(digest).toEqual(reference.digest);
      expect(kpis).toEqual(reference.kpis);
    } finally {
      await closeContext(ctx);
    }
  });
});
