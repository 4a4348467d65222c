/**
 * Snapshot build on Postgres: `buildSnapshots` for 365 days over 1,000,000 generated orders (every
 * snapshot table: ledger, customer orders, daily orders, products, cohorts, customer MRR), against a
 * baseline of the single hand-written `INSERT … SELECT … GROUP BY` computing the daily revenue rows
 * over the same data. Each is run 3 times alternately; medians compared.
 * Target: build ≤ 1.5 × baseline, and `kpis` for a 90-day period p95 < 50 ms.
 */
import pg from "pg";
import { computeKpis } from "../src/analytics/index.ts";
import { buildSnapshots } from "../src/analytics/snapshots/build.ts";
import { systemActor } from "../src/audit/index.ts";
import { openDatabase } from "../src/db/client.ts";
import { GENERATED_END, generateDataset } from "./generate.ts";
import { createBenchDatabase } from "./lib/database.ts";
import { elapsedMs, percentile, round, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const RUNS = 3;
const KPI_QUERIES = 30;

const median = (xs: number[]) => percentile(xs, 50);

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const orders = opts.quick ? 50_000 : 1_000_000;
  const bench = await createBenchDatabase(opts.postgresUrl, "snapshots");
  const pool = new pg.Pool({ connectionString: bench.url, max: 4 });
  const database = await openDatabase({ databaseUrl: bench.url });
  try {
    let t = process.hrtime.bigint();
    const data = await generateDataset(pool, { orders });
    opts.log(
      `generated ${orders} orders, ${data.lines} lines, ${data.charges} charges, ${data.history} subscription states in ${round(elapsedMs(t) / 1000, 1)} s`,
    );

    const to = GENERATED_END.slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
    const start = `${from}T00:00:00Z`;
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
    await pool.query(
      "CREATE TABLE bench_daily_revenue (day date, currency text, livemode boolean, gross bigint, charges int, PRIMARY KEY (livemode, currency, day))",
    );
    const baselineRun = async () => {
      const s = process.hrtime.bigint();
      await pool.query("BEGIN");
      await pool.query("DELETE FROM bench_daily_revenue");
      await pool.query(
        `INSERT INTO bench_daily_revenue (day, currency, livemode, gross, charges)
         SELECT (created AT TIME ZONE 'UTC')::date, currency, livemode, sum(amount), count(*)
         FROM charges WHERE status = 'succeeded' AND created >= $1 AND created < $2
         GROUP BY 1, 2, 3`,
        [start, end],
      );
      await pool.query("COMMIT");
      return elapsedMs(s);
    };
    const buildRun = async () => {
      const s = process.hrtime.bigint();
      await buildSnapshots(database.db, { from, to, timezone: "UTC" }, systemActor);
      return elapsedMs(s);
    };
    await baselineRun(); // warm the cache for both
    const baselineMs: number[] = [];
    const buildMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baselineMs.push(await baselineRun());
      buildMs.push(await buildRun());
      opts.log(
        `run ${i + 1}: baseline ${round(baselineMs[i]!, 0)} ms, buildSnapshots ${round(buildMs[i]!, 0)} ms`,
      );
    }

    const kpiFrom = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    const params = { from: kpiFrom, to, timezone: "UTC", currency: "usd" };
    await computeKpis(database.db, params);
    const latencies: number[] = [];
    for (let i = 0; i < KPI_QUERIES; i++) {
      t = process.hrtime.bigint();
      await computeKpis(database.db, params);
      latencies.push(elapsedMs(t));
    }
    const kpi = summarise(latencies);
    const baseline = median(baselineMs);
    const measured = median(buildMs);
    const ratio = measured / baseline;
    return {
      name: "snapshots",
      description: "buildSnapshots for 365 days vs one INSERT … SELECT … GROUP BY of the daily revenue rows",
      baseline: { label: "daily revenue INSERT…SELECT", value: baseline, unit: "ms" },
      measured: { label: "buildSnapshots 365 days", value: measured, unit: "ms" },
      ratio,
      target: "ratio ≤ 1.5 and kpis (90 days) p95 < 50 ms",
      pass: ratio <= 1.5 && kpi.p95 < 50,
      figures: [
        { label: "kpis 90 days p50", value: kpi.p50, unit: "ms" },
        { label: "kpis 90 days p95", value: kpi.p95, unit: "ms" },
        { label: "kpis 90 days max", value: kpi.max, unit: "ms" },
        ...buildMs.map((v, i) => ({ label: `build run ${i + 1}`, value: v, unit: "ms" })),
        ...baselineMs.map((v, i) => ({ label: `baseline run ${i + 1}`, value: v, unit: "ms" })),
      ],
      size: {
        orders,
        lines: data.lines,
        charges: data.charges,
        refunds: data.refunds,
        subscriptionStates: data.history,
        days: 365,
      },
      quick: opts.quick,
    };
  } finally {
    await pool.end();
    await database.close();
    await bench.drop();
  }
}
