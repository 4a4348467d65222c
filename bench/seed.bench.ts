/**
 * First run: `npm start` (= `revintel start`) on an empty embedded data directory, timed from the
 * process start until it serves (`/readyz` answers 200 and the start-up block is printed): migrate,
 * the full demo seed through the real services and the offline Stripe path, snapshots, then serve.
 * Baseline: `revintel migrate` alone on another empty data directory, in the same run. Target: serving
 * within 60 s on the 2-vCPU machine class. `--quick` times `migrate` + a small `seed-demo` instead.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, ROOT } from "./lib/processes.ts";
import { round } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const BIN = join(ROOT, "bin/revintel.js");
const TARGET_SECONDS = 60;

function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    PAYMENTS_MODE: "offline",
    DATA_DIR: dataDir,
    ...extra,
  };
}

/** Runs a command to its end; its wall time in seconds. */
function timed(args: string[], dataDir: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(dataDir), stdio: "ignore" });
    child.once("exit", (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`revintel ${args.join(" ")} exited ${code}`)),
    );
  });
}

/** `revintel start` until it serves; returns the seconds and stops it. */
async function startUntilServing(dataDir: string, timeoutMs: number): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [BIN, "start"], {
    cwd: ROOT,
    env: env(dataDir, { HOST: "127.0.0.1", PORT: String(port) }),
    stdio: ["ignore", "pipe", "ignore"],
  });
  let printed = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    while (performance.now() - started < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`start exited ${child.exitCode} before serving`);
      if (printed.includes("serving at")) {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
        if (res?.ok) return (performance.now() - started) / 1000;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`start did not serve within ${timeoutMs / 1000} s`);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const dirs = [1, 2].map((i) => mkdtempSync(join(tmpdir(), `revintel-bench-seed-${i}-`)));
  const load = loadavg()[0] ?? 0;
  try {
    const migrate = await timed(["migrate"], dirs[0]!);
    opts.log(`migrate alone: ${round(migrate, 1)} s`);
    let measured: number;
    if (opts.quick) {
      measured =
        (await timed(["migrate"], dirs[1]!)) +
        (await timed(["seed-demo", "--customers", "200", "--months", "2"], dirs[1]!));
    } else measured = await startUntilServing(dirs[1]!, 600_000);
    opts.log(`${opts.quick ? "migrate + small seed" : "npm start until serving"}: ${round(measured, 1)} s`);
    return {
      name: "seed",
      description: opts.quick
        ? "migrate + seed-demo (200 customers, 2 months) vs migrate alone"
        : "npm start on an empty data directory until serving (migrate, full demo seed, snapshots) vs migrate alone",
      baseline: { label: "revintel migrate (empty embedded database)", value: round(migrate, 2), unit: "s" },
      measured: {
        label: opts.quick ? "migrate + small seed-demo" : "npm start until /readyz answers",
        value: round(measured, 2),
        unit: "s",
      },
      ratio: round(measured / migrate, 2),
      target: `serving within ${TARGET_SECONDS} s (full demo)`,
      pass: !opts.quick && measured <= TARGET_SECONDS,
      figures: [{ label: "load average (1 min) when the bench started", value: round(load, 2), unit: "" }],
      size: opts.quick ? { customers: 200, months: 2 } : { customers: 2000, months: 12 },
      quick: opts.quick,
    };
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
