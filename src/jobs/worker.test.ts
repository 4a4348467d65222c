import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { Cron } from "croner";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { testConfig } from "../config/env.ts";
import { ALL_JOBS } from "./all.ts";
import type { Job } from "./registry.ts";
import { jobRuns } from "./schema.ts";
import { closeInterruptedRuns, INTERRUPTED, jobSchedules, runJobSlot, startWorker } from "./worker.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ poolSize: 4 });
});
afterAll(() => ctx.destroy());

function countingJob(name: string, run: () => Promise<number>): Job & { calls: number } {
  const job = {
    name,
    schedule: "* * * * *",
    description: "test job",
    calls: 0,
    run: async () => {
      job.calls += 1;
      return run();
    },
  };
  return job;
}

async function slotRow(name: string, slot: Date) {
  const [row] = await ctx.db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, name), eq(jobRuns.slot, slot)));
  return row;
}

describe("the job registry", () => {
  it("names every job once, with a schedule croner accepts", () => {
    const names = ALL_JOBS.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    for (const job of ALL_JOBS) {
      const cron = new Cron(job.schedule, { timezone: "UTC", paused: true });
      expect(cron.nextRun(), job.name).toBeInstanceOf(Date);
      cron.stop();
    }
  });
});

describe("job schedules", () => {
  const withSchedules = (value: string) => ({ ...ctx, config: testConfig({ JOB_SCHEDULES: value }) });

  it("keeps each job's built-in schedule unless JOB_SCHEDULES names it, and refuses an unknown name", () => {
    const builtIn = jobSchedules(ctx, ALL_JOBS);
    expect([...builtIn].map(([job, schedule]) => [job.name, schedule])).toEqual(
      ALL_JOBS.map((job) => [job.name, job.schedule]),
    );
    const schedules = jobSchedules(withSchedules("snapshots.rebuild-dirty=*/15 * * * * *"), ALL_JOBS);
    for (const job of ALL_JOBS)
      expect(schedules.get(job)).toBe(
        job.name === "snapshots.rebuild-dirty" ? "*/15 * * * * *" : job.schedule,
      );
    expect(() => jobSchedules(withSchedules("snapshots.rebuild=* * * * *"), ALL_JOBS)).toThrow(
      /^Invalid configuration: JOB_SCHEDULES names no such job: snapshots\.rebuild /,
    );
  });
});

describe("runJobSlot", () => {
  it("runs a slot once and records how many items it handled; the same slot again is skipped", async () => {
    const job = countingJob("test.once", async () => 7);
    const slot = new Date("2026-06-15T12:01:00.000Z");
    expect(await runJobSlot(ctx, job, slot, "w1")).toBe("ran");
    expect(await runJobSlot(ctx, job, slot, "w2")).toBe("skipped");
    expect(job.calls).toBe(1);
    const row = await slotRow(job.name, slot);
    expect(row).toMatchObject({ worker: "w1", status: "ok", items: 7, error: null });
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it("runs a slot claimed by two workers at once exactly once", async () => {
    const job = countingJob("test.race", async () => 1);
    const slot = new Date("2026-06-15T12:02:00.000Z");
    const results = await Promise.all([runJobSlot(ctx, job, slot, "w1"), runJobSlot(ctx, job, slot, "w2")]);
    expect(results.sort()).toEqual(["ran", "skipped"]);
    expect(job.calls).toBe(1);
  });

  it("records a failing run with its error, and does not run the slot again", async () => {
    const job = countingJob("test.fails", async () => {
      throw new Error(`boom ${"x".repeat(600)}`);
    });
    const slot = new Date("2026-06-15T12:03:00.000Z");
    expect(await runJobSlot(ctx, job, slot, "w1")).toBe("ran");
    const row = await slotRow(job.name, slot);
    expect(row?.status).toBe("failed");
    expect(row?.error?.startsWith("boom x")).toBe(true);
    expect(row?.error).toHaveLength(500);
    expect(await runJobSlot(ctx, job, slot, "w1")).toBe("skipped");
    expect(job.calls).toBe(1);
  });

  it("gives each slot of the same job its own run", async () => {
    const job = countingJob("test.slots", async () => 0);
    for (const minute of ["04", "05", "06"]) {
      expect(await runJobSlot(ctx, job, new Date(`2026-06-15T12:${minute}:00.000Z`), "w1")).toBe("ran");
    }
    expect(job.calls).toBe(3);
  });
});

describe("stopping the worker", () => {
  /** A job, run every second, that ends only when `release` is called. */
  function heldJob(name: string) {
    let release!: () => void;
    const ended = new Promise<void>((resolve) => {
      release = resolve;
    });
    const job = countingJob(name, async () => {
      await ended;
      return 3;
    });
    job.schedule = "* * * * * *";
    return { job, release };
  }

  it("lets a running job finish and record its run before it resolves", async () => {
    const { job, release } = heldJob("test.stop-waits");
    const handle = startWorker(ctx, [job]);
    await vi.waitFor(() => expect(job.calls).toBe(1), { timeout: 5_000, interval: 50 });
    let stopped = false;
    const stopping = handle.stop(10_000).then((left) => {
      stopped = true;
      return left;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    release();
    expect(await stopping).toBe(0);
    const rows = await ctx.db.select().from(jobRuns).where(eq(jobRuns.job, job.name));
    expect(rows.map((r) => [r.status, r.items])).toEqual([["ok", 3]]);
    // No slot starts once stopping began.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(job.calls).toBe(1);
  });

  it("gives up waiting after waitMs and says how many jobs were still running", async () => {
    const { job, release } = heldJob("test.stop-gives-up");
    const handle = startWorker(ctx, [job]);
    await vi.waitFor(() => expect(job.calls).toBe(1), { timeout: 5_000, interval: 50 });
    expect(await handle.stop(200)).toBe(1);
    // Its run ends with the pool, unrecorded: it is closed as interrupted, not left running.
    const rows = await ctx.db.select().from(jobRuns).where(eq(jobRuns.job, job.name));
    expect(rows.map((r) => [r.status, r.error])).toEqual([["failed", INTERRUPTED]]);
    release();
  });
});

describe("runs a worker left running", () => {
  const here = hostname();
  /** The pid of a process of this host that has ended. */
  async function endedPid(): Promise<number> {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((resolve) => child.on("exit", resolve));
    return child.pid!;
  }
  async function running(job: string, worker: string, status: "running" | "ok" = "running") {
    const slot = new Date(Date.UTC(2026, 5, 1, 0, Math.floor(Math.random() * 1_000_000) % 60_000));
    await ctx.db.insert(jobRuns).values({ job, slot, worker, startedAt: ctx.clock.now(), status });
    return slot;
  }
  const state = async (job: string, slot: Date) => {
    const row = await slotRow(job, slot);
    return [row!.status, row!.error];
  };

  it("closes its own earlier runs and those of ended processes of this host, nobody else's", async () => {
    const dead = `${here}:${await endedPid()}`;
    const self = `${here}:999999999`;
    const mine = await running("test.left.mine", self);
    const ofDead = await running("test.left.dead", dead);
    const live = await running("test.left.live", `${here}:${process.pid}`);
    const elsewhere = await running("test.left.elsewhere", "another-host:1234");
    const done = await running("test.left.done", dead, "ok");
    expect(await closeInterruptedRuns(ctx, self)).toBe(2);
    expect(await state("test.left.mine", mine)).toEqual(["failed", INTERRUPTED]);
    expect(await state("test.left.dead", ofDead)).toEqual(["failed", INTERRUPTED]);
    expect(await state("test.left.live", live)).toEqual(["running", null]);
    expect(await state("test.left.elsewhere", elsewhere)).toEqual(["running", null]);
    expect(await state("test.left.done", done)).toEqual(["ok", null]);
    expect(await closeInterruptedRuns(ctx, self)).toBe(0);
  });

  it("a starting worker closes what it left running before it runs a slot", async () => {
    const earlier = await running("test.left.restart", `${here}:${process.pid}`);
    const job = countingJob("test.left.restart", async () => 1);
    job.schedule = "* * * * * *";
    const handle = startWorker(ctx, [job]);
    await vi.waitFor(() => expect(job.calls).toBeGreaterThanOrEqual(1), { timeout: 5_000, interval: 50 });
    await handle.stop(5_000);
    expect(await state("test.left.restart", earlier)).toEqual(["failed", INTERRUPTED]);
    const rows = await ctx.db.select().from(jobRuns).where(eq(jobRuns.job, job.name));
    // Its own new slots ran and were recorded, none closed as interrupted.
    expect(rows.filter((r) => r.status === "ok").length).toBe(job.calls);
  });
});
