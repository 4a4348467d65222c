/**
 * BI export pack on Postgres at a million order lines: `revintel export bi --zip` run as the
 * operator runs it (a child process, measured with `/usr/bin/time`), over a year of generated data
 * (~540,000 orders, ~1,000,000 lines of paid orders). Peak memory is the process's maximum RSS;
 * throughput is all CSV rows written divided by the export's own time (from the manifest's
 * `generated_at` to the process exit, so CLI start-up is not counted against it).
 * Baseline: the database alone producing the fact rows (a server-side count over the same join), to
 * show how far the export's cost is transfer and CSV rather than the query.
 * The export is measured with a hard V8 heap cap (HEAP_CAP): a leak or a whole-table load would
 * crash it, so passing proves constant memory. The same export without the cap is reported too.
 * Target: peak RSS < 200 MB and ≥ 100,000 rows/s.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { GENERATED_END, generateDataset } from "./generate.ts";
import { createBenchDatabase } from "./lib/database.ts";
import { ROOT } from "./lib/processes.ts";
import { elapsedMs, round } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const PEAK_RSS_LIMIT_MB = 200;
const ROWS_PER_SECOND_TARGET = 100_000;
/** The memory-bounded way to run a large export (docs/exports.md): a hard V8 heap cap, small young generation. */
const HEAP_CAP = "--max-old-space-size=100 --max-semi-space-size=2";

interface Measured {
  manifest: { generated_at: string; files: Array<{ name: string; rows: number; bytes: number }> };
  maxRssKb: number;
  wallSeconds: number;
  endedAt: number;
}

/** Run the CLI under GNU time; the last stderr line is "<max RSS KB> <elapsed s>". */
function underTime(databaseUrl: string, args: string[], nodeOptions = ""): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%M %e", process.execPath, "bin/revintel.js", ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: "warn",
        NODE_OPTIONS: nodeOptions,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const endedAt = Date.now();
      if (code !== 0) return reject(new Error(`export exited ${code}: ${stderr.slice(-500)}`));
      const [rss, wall] = stderr.trim().split("\n").pop()!.split(" ").map(Number);
      const json = args.includes("--json") ? (JSON.parse(stdout) as Measured["manifest"]) : null;
      resolve({ manifest: json!, maxRssKb: rss!, wallSeconds: wall!, endedAt });
    });
  });
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const orders = opts.quick ? 30_000 : 540_000;
  const bench = await createBenchDatabase(opts.postgresUrl, "exports");
  const pool = new pg.Pool({ connectionString: bench.url, max: 2 });
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

    // The same binary with every module loaded but no export: what the process costs before any row.
    const idle = await underTime(bench.url, ["export", "--help"]);
    const args = ["export", "bi", "--from", from, "--to", to, "--out", out, "--zip", "--json"];
    // Unbounded, V8 grows its heap lazily on a large machine (garbage, not live data); with a hard
    // heap cap an export whose live memory grew with the data would die out of memory instead.
    const uncapped = await underTime(bench.url, args);
    const measured = await underTime(bench.url, args, HEAP_CAP);
    const idleMb = idle.maxRssKb / 1024;
    const totalRows = measured.manifest.files.reduce((sum, f) => sum + f.rows, 0);
    const exportSeconds = (measured.endedAt - Date.parse(measured.manifest.generated_at)) / 1000;
    const rowsPerSecond = totalRows / exportSeconds;
    const peakMb = measured.maxRssKb / 1024;
    const zipBytes = statSync(join(out, `bi_${from}_${to}.zip`)).size;
    opts.log(
      `export: ${totalRows} rows in ${round(exportSeconds, 1)} s (${round(rowsPerSecond, 0)} rows/s), peak RSS ${round(peakMb, 0)} MB, zip ${round(zipBytes / 2 ** 20, 1)} MiB`,
    );
    const factRows = measured.manifest.files.find((f) => f.name === "fact_order_line.csv")!.rows;
    return {
      name: "exports",
      description: `revintel export bi --zip for a year at ~1M order lines (NODE_OPTIONS="${HEAP_CAP}"): peak RSS and rows/s`,
      baseline: { label: "server-side count of the fact rows", value: round(baselineMs, 0), unit: "ms" },
      measured: { label: "BI export (all files)", value: round(exportSeconds * 1000, 0), unit: "ms" },
      ratio: round((exportSeconds * 1000) / baselineMs, 2),
      target: `peak RSS < ${PEAK_RSS_LIMIT_MB} MB and ≥ ${ROWS_PER_SECOND_TARGET} rows/s`,
      pass: peakMb < PEAK_RSS_LIMIT_MB && rowsPerSecond >= ROWS_PER_SECOND_TARGET,
      figures: [
        { label: "peak RSS (whole CLI process)", value: round(peakMb, 1), unit: "MB" },
        {
          label: "RSS of the same CLI at start-up (export --help, no cap)",
          value: round(idleMb, 1),
          unit: "MB",
        },
        { label: "peak RSS without the heap cap", value: round(uncapped.maxRssKb / 1024, 1), unit: "MB" },
        {
          label: "rows per second without the heap cap",
          value: round(
            totalRows / ((uncapped.endedAt - Date.parse(uncapped.manifest.generated_at)) / 1000),
            0,
          ),
          unit: "rows/s",
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
