/**
 * BI export pack on Postgres at a million order lines: `revintel export bi --zip` run exactly as the
 * operator runs it (a child process, no extra flags or NODE_OPTIONS), over a year of generated data
 * (~540,000 orders, ~1,000,000 lines of paid orders).
 * Peak memory is the peak of the summed RSS of the CLI process and every process under it (sampled
 * from /proc every 50 ms, e.g. tsx's esbuild service when its cache is cold), or GNU time's exact
 * maximum RSS of the CLI process when that is higher.
 * Throughput is all CSV rows written divided by the export's own time (from the manifest's
 * `generated_at` to the process exit, so CLI start-up is not counted against it).
 * Baseline: the database alone producing the fact rows (a server-side count over the same join), to
 * show how far the export's cost is transfer and CSV rather than the query.
 * Target: peak RSS < 200 MB and ≥ 100,000 rows/s.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENERATED_END, generateDataset } from "./generate.ts";
import { benchPool, createBenchDatabase } from "./lib/database.ts";
import { ROOT } from "./lib/processes.ts";
import { elapsedMs, round } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const PEAK_RSS_LIMIT_MB = 200;
const ROWS_PER_SECOND_TARGET = 100_000;
const SAMPLE_MS = 50;

interface Measured {
  manifest: { generated_at: string; files: Array<{ name: string; rows: number; bytes: number }> };
  /** GNU time: maximum RSS of the largest single process under it (the CLI). */
  maxRssKb: number;
  /** Peak of the summed RSS of every process under GNU time, from /proc samples. */
  treeRssKb: number;
  wallSeconds: number;
  endedAt: number;
}

/** Parent pid and resident set (KiB) of every process, from /proc. */
function processTable(): Map<number, { ppid: number; rssKb: number }> {
  const table = new Map<number, { ppid: number; rssKb: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces and parentheses): state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      table.set(Number(entry), { ppid, rssKb: rss ? Number(rss[1]) : 0 });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return table;
}

/** Summed RSS of the descendants of `root` (not `root` itself: GNU time is the bench's, not the user's). */
function descendantsRssKb(root: number): number {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let total = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += table.get(pid)?.rssKb ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Run the CLI under GNU time; the last stderr line is "<max RSS KB> <elapsed s>". */
function underTime(databaseUrl: string, args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%M %e", process.execPath, "bin/revintel.js", ...args], {
      cwd: ROOT,
      // Exactly what an operator's shell gives the CLI: no NODE_OPTIONS, no heap flags.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
    });
    let treeRssKb = 0;
    const sampler = setInterval(() => {
      if (child.pid) treeRssKb = Math.max(treeRssKb, descendantsRssKb(child.pid));
    }, SAMPLE_MS);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", (err) => {
      clearInterval(sampler);
      reject(err);
    });
    child.on("close", (code) => {
      clearInterval(sampler);
      const endedAt = Date.now();
      if (code !== 0) return reject(new Error(`export exited ${code}: ${stderr.slice(-500)}`));
      const [rss, wall] = stderr.trim().split("\n").pop()!.split(" ").map(Number);
      const json = args.includes("--json") ? (JSON.parse(stdout) as Measured["manifest"]) : null;
      resolve({ manifest: json!, maxRssKb: rss!, treeRssKb, wallSeconds: wall!, endedAt });
    });
  });
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const orders = opts.quick ? 30_000 : 540_000;
  const bench = await createBenchDatabase(opts.postgresUrl, "exports");
  const pool = benchPool(bench.url, 2);
  const out = mkdtempSync(join(tmpdir(), "bench-exports-"));
  try {
    let t = process.hrtime.bigint();
    const data = await generateDataset(pool, { orders });
    opts.log(`generated ${orders} orders, ${data.lines} lines in ${round(elapsedMs(t) / 1000, 1)} s`);

    const to = GENERATED_END.slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);

    // Baseline: the database alone producing the fact_order_line rows (no transfer, no CSV).
    t = process.hrtime.bigint();
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM (SELECT l.*, o.paid_at, o.customer_id FROM order_lines l
         JOIN orders o ON o.id = l.order_id WHERE o.paid_at >= $1 AND o.paid_at < $2) x`,
      [`${from}T00:00:00Z`, new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString()],
    );
    const baselineMs = elapsedMs(t);
    const factLines = Number(rows[0]!.n);
    opts.log(`baseline: ${factLines} paid order lines counted server-side in ${round(baselineMs, 0)} ms`);

    // The same command's start-up alone: what the process costs before any row.
    const idle = await underTime(bench.url, ["export", "--help"]);
    const args = ["export", "bi", "--from", from, "--to", to, "--out", out, "--zip", "--json"];
    const measured = await underTime(bench.url, args);
    const totalRows = measured.manifest.files.reduce((sum, f) => sum + f.rows, 0);
    const exportSeconds = (measured.endedAt - Date.parse(measured.manifest.generated_at)) / 1000;
    const rowsPerSecond = totalRows / exportSeconds;
    const peakMb = Math.max(measured.maxRssKb, measured.treeRssKb) / 1024;
    const zipBytes = statSync(join(out, `bi_${from}_${to}.zip`)).size;
    opts.log(
      `export: ${totalRows} rows in ${round(exportSeconds, 1)} s (${round(rowsPerSecond, 0)} rows/s), peak RSS ${round(peakMb, 0)} MB, zip ${round(zipBytes / 2 ** 20, 1)} MiB`,
    );
    const factRows = measured.manifest.files.find((f) => f.name === "fact_order_line.csv")!.rows;
    return {
      name: "exports",
      description:
        "revintel export bi --zip for a year at ~1M order lines, as run by a user (no flags): peak RSS and rows/s",
      baseline: { label: "server-side count of the fact rows", value: round(baselineMs, 0), unit: "ms" },
      measured: { label: "BI export (all files)", value: round(exportSeconds * 1000, 0), unit: "ms" },
      ratio: round((exportSeconds * 1000) / baselineMs, 2),
      target: `peak RSS < ${PEAK_RSS_LIMIT_MB} MB and ≥ ${ROWS_PER_SECOND_TARGET} rows/s`,
      pass: peakMb < PEAK_RSS_LIMIT_MB && rowsPerSecond >= ROWS_PER_SECOND_TARGET,
      figures: [
        { label: "peak RSS (CLI process and its children)", value: round(peakMb, 1), unit: "MB" },
        {
          label: "peak RSS of the CLI process (GNU time)",
          value: round(measured.maxRssKb / 1024, 1),
          unit: "MB",
        },
        {
          label: "peak summed RSS of the process tree (/proc samples)",
          value: round(measured.treeRssKb / 1024, 1),
          unit: "MB",
        },
        {
          label: "RSS of the same CLI at start-up (export --help)",
          value: round(Math.max(idle.maxRssKb, idle.treeRssKb) / 1024, 1),
          unit: "MB",
        },
        { label: "rows per second (all files)", value: round(rowsPerSecond, 0), unit: "rows/s" },
        { label: "process wall time incl. start-up", value: measured.wallSeconds, unit: "s" },
        { label: "zip size", value: round(zipBytes / 2 ** 20, 1), unit: "MiB" },
        ...measured.manifest.files.map((f) => ({ label: f.name, value: f.rows, unit: "rows" })),
      ],
      size: {
        orders,
        lines: data.lines,
        factOrderLines: factRows,
        customers: data.customers.count,
        days: 365,
      },
      quick: opts.quick,
    };
  } finally {
    await pool.end();
    await bench.drop();
    rmSync(out, { recursive: true, force: true });
  }
}
