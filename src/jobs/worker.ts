import { hostname } from "node:os";
import { Cron } from "croner";
import { and, eq, inArray } from "drizzle-orm";
import { ConfigError } from "../config/env.ts";
import type { AppContext } from "../context.ts";
import { databaseUnavailable } from "../db/client.ts";
import { ALL_JOBS } from "./all.ts";
import type { Job } from "./registry.ts";
import { jobRuns } from "./schema.ts";

const JOB_LOCK_BASE = 7_250_000;

function lockKey(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return JOB_LOCK_BASE + (Math.abs(h) % 10_000);
}

/**
 * On Postgres a session advisory lock (on its own connection) keeps two runs of the same job from
 * overlapping across workers. The embedded database has one process, so there is nothing to lock.
 */
async function withJobLock<T>(ctx: AppContext, name: string, work: () => Promise<T>): Promise<T> {
  const pool = ctx.database.pool;
  if (!pool) return work();
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [lockKey(name)]);
    return await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [lockKey(name)]).catch(() => undefined);
    client.release();
  }
}

/**
 * Run one scheduled slot of a job at most once across every worker: the slot row's insert decides
 * who runs it, and a transaction-level advisory lock keeps two slots of the same job from overlapping.
 */
export async function runJobSlot(
  ctx: AppContext,
  job: Job,
  slot: Date,
  worker: string,
): Promise<"ran" | "skipped"> {
  const claimed = await ctx.db
    .insert(jobRuns)
    .values({ job: job.name, slot, worker, startedAt: ctx.clock.now(), status: "running" })
    .onConflictDoNothing()
    .returning({ job: jobRuns.job });
  if (claimed.length === 0) return "skipped";
  const where = and(eq(jobRuns.job, job.name), eq(jobRuns.slot, slot));
  try {
    const items = await withJobLock(ctx, job.name, () => job.run(ctx));
    await ctx.db.update(jobRuns).set({ status: "ok", finishedAt: ctx.clock.now(), items }).where(where);
    // A run that found nothing to do is routine: visible with LOG_LEVEL=debug, not every minute.
    if (items > 0) ctx.logger.info({ job: job.name, items }, "job done");
    else ctx.logger.debug({ job: job.name, items }, "job done");
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await ctx.db
      .update(jobRuns)
      .set({ status: "failed", finishedAt: ctx.clock.now(), error: message.slice(0, 500) })
      .where(where);
    ctx.logger.error({ job: job.name, err: message }, "job failed");
  }
  return "ran";
}

/** What a run left `running` by a worker that is gone records as its error. */
export const INTERRUPTED = "interrupted: its worker ended before the run finished";

/**
 * Runs left `running` by a worker process that ended mid-run (killed, crashed, or stopped before the
 * run finished) are closed as `failed` with `INTERRUPTED`, so `job_runs` does not show them running
 * for ever. Only what this worker can know: its own earlier runs (`self`, the same host and pid: a
 * restarted container keeps both, and a worker that just started runs nothing) and runs of workers on
 * this host whose process no longer exists; another host's runs are left as they are. Returns how
 * many were closed.
 */
export async function closeInterruptedRuns(ctx: AppContext, self: string): Promise<number> {
  const here = `${hostname()}:`;
  const running = await ctx.db
    .selectDistinct({ worker: jobRuns.worker })
    .from(jobRuns)
    .where(eq(jobRuns.status, "running"));
  const gone = running
    .map((r) => r.worker)
    .filter((w) => w === self || (w.startsWith(here) && !processExists(Number(w.slice(here.length)))));
  if (gone.length === 0) return 0;
  return markInterrupted(ctx, gone);
}

async function markInterrupted(ctx: AppContext, workers: string[]): Promise<number> {
  const closed = await ctx.db
    .update(jobRuns)
    .set({ status: "failed", finishedAt: ctx.clock.now(), error: INTERRUPTED })
    .where(and(eq(jobRuns.status, "running"), inArray(jobRuns.worker, workers)))
    .returning({ job: jobRuns.job });
  if (closed.length > 0)
    ctx.logger.warn(
      { runs: closed.length, jobs: [...new Set(closed.map((r) => r.job))] },
      "job runs interrupted",
    );
  return closed.length;
}

/** Whether a process with this pid exists on this host (EPERM: it does, owned by another user). */
function processExists(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface WorkerHandle {
  /**
   * Starts no more slots, then waits for the ones running to end (at most `waitMs`, default
   * STOP_WAIT_MS): a deploy's SIGTERM lets a job finish and record its run instead of cutting it off
   * when the pool closes. Resolves with how many were still running when the wait ran out.
   */
  stop(waitMs?: number): Promise<number>;
}

/** How long a stopping worker waits for its running jobs: inside the 30 s stop timeouts of docs/deploy.md. */
export const STOP_WAIT_MS = 25_000;

/** Each job's schedule: its built-in one unless JOB_SCHEDULES names it; an unknown name is a config error (exit 2). */
export function jobSchedules(ctx: AppContext, jobs: Job[]): Map<Job, string> {
  const overrides = ctx.config.jobSchedules;
  const unknown = Object.keys(overrides).filter((name) => !jobs.some((j) => j.name === name));
  if (unknown.length > 0)
    throw new ConfigError(
      "JOB_SCHEDULES",
      `names no such job: ${unknown.join(", ")} (jobs: ${jobs.map((j) => j.name).join(", ")})`,
    );
  return new Map(jobs.map((job) => [job, overrides[job.name] ?? job.schedule]));
}

export function startWorker(ctx: AppContext, jobs: Job[] = ALL_JOBS): WorkerHandle {
  const worker = `${hostname()}:${process.pid}`;
  const schedules = jobSchedules(ctx, jobs);
  const running = new Set<Promise<unknown>>();
  const crons = [...schedules].map(
    ([job, schedule]) =>
      // Paused until the runs an earlier life of this worker left `running` are closed (below).
      new Cron(schedule, { timezone: "UTC", protect: true, paused: true }, async (self: Cron) => {
        const slot = self.currentRun() ?? new Date();
        slot.setMilliseconds(0);
        const run = runJobSlot(ctx, job, slot, worker);
        running.add(run);
        try {
          await run;
        } catch (err) {
          // The slot could not be claimed or its end recorded (the database is away): the next slot
          // tries again. Thrown out of croner's callback it ended the worker (an unhandled rejection)
          // and left the job's schedule blocked.
          // The error itself: the logger keeps its causes (scrubbed), where the root cause is; a
          // drizzle error's own message is only the failed statement.
          const reason = databaseUnavailable(err);
          ctx.logger.error({ job: job.name, slot: slot.toISOString(), reason, err }, "job slot not run");
        } finally {
          running.delete(run);
        }
      }),
  );
  ctx.logger.info({ jobs: [...schedules].map(([j, s]) => `${j.name} (${s})`) }, "worker started");
  let stopping = false;
  const closing = closeInterruptedRuns(ctx, worker)
    .catch((err: unknown) => {
      ctx.logger.warn({ reason: databaseUnavailable(err), err }, "interrupted job runs not closed");
    })
    .finally(() => {
      if (!stopping) for (const c of crons) c.resume();
    });
  return {
    stop: async (waitMs = STOP_WAIT_MS) => {
      stopping = true;
      for (const c of crons) c.stop();
      await closing;
      if (running.size === 0) return 0;
      ctx.logger.info({ jobs: running.size }, "worker stopping: waiting for running jobs");
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      });
      await Promise.race([Promise.allSettled([...running]), waited]);
      clearTimeout(timer);
      if (running.size > 0) {
        ctx.logger.warn({ jobs: running.size, waitMs }, "worker stopped with jobs running");
        // Their runs end with the pool, unrecorded: say so now.
        await markInterrupted(ctx, [worker]).catch(() => undefined);
      }
      return running.size;
    },
  };
}
