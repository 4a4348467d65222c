/**
 * Snapshot build on Postgres: `buildSnapshots` for 365 days over 1,000,000 generated orders (every
 * snapshot table: ledger, customer orders and gap counts, daily orders, products, cohorts, customer
 * and daily MRR), against a baseline of the single hand-written `INSERT … SELECT … GROUP BY`
 * computing the daily revenue rows over the same data. Each is run 3 times alternately; medians
 * compared. Every build starts from empty snapshot tables (emptied outside the timing), so each
 * measured build writes every row. Target: build ≤ 1.5 × baseline, and `kpis` for a 90-day period
 * p95 < 50 ms.
 *
 * Also per stage: the builder's time for each stage against a hand-written statement computing the
 * same rows (or, for customer MRR, which is computed from the subscription history in the
 * application, one statement reading that history and writing a row per customer and day), run
 * 3 times alternately, medians compared, so the builder's overhead over plain SQL is visible.
 *
 * And a lower bound: two read-only statements that any builder of these tables has to pay for at
 * least, on top of the daily revenue rows themselves: reading the order lines with their orders (the
 * product rollups) and finding the distinct customer-days (customers and new customers for any
 * period). They group nothing and write nothing, so no builder can be faster than baseline + both.
 */
import pg from "pg";
import { computeKpis } from "../src/analytics/index.ts";
import { type BuildStage, buildSnapshots } from "../src/analytics/snapshots/build.ts";
import { systemActor } from "../src/audit/index.ts";
import { testConfig } from "../src/config/env.ts";
import { closeContext, createContext } from "../src/context.ts";
import { GENERATED_END, generateDataset } from "./generate.ts";
import { createBenchDatabase } from "./lib/database.ts";
import { elapsedMs, percentile, round, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const RUNS = 3;
const KPI_QUERIES = 30;

const median = (xs: number[]) => percentile(xs, 50);

const SNAPSHOT_TABLES =
  "snap_daily_ledger, snap_daily_orders, snap_customer_orders, snap_customer_gaps, snap_daily_products, snap_customer_mrr, snap_daily_mrr, snap_cohorts";

/** Bench-owned tables the hand-written stage statements write (same keys as the snapshot tables). */
const HAND_TABLES = [
  "CREATE TABLE bench_ledger (day date, currency text, livemode boolean, charges bigint, gross bigint, refunds bigint, disputes bigint, fees bigint, fees_known bigint, PRIMARY KEY (livemode, currency, day))",
  "CREATE TABLE bench_customer_orders (day date, currency text, livemode boolean, customer_id int, orders int, revenue bigint, orders_before int, PRIMARY KEY (livemode, currency, day, customer_id))",
  "CREATE TABLE bench_daily_orders (day date, currency text, livemode boolean, orders bigint, revenue bigint, customers bigint, new_customers bigint, PRIMARY KEY (livemode, currency, day))",
  "CREATE TABLE bench_products (day date, currency text, livemode boolean, product_id int, units bigint, revenue bigint, costed_revenue bigint, cost bigint, costed_lines bigint, PRIMARY KEY (livemode, currency, day, product_id))",
  "CREATE TABLE bench_cohorts (livemode boolean, currency text, cohort text, month text, customers bigint, PRIMARY KEY (livemode, currency, cohort, month))",
  "CREATE TABLE bench_customer_mrr (livemode boolean, currency text, customer_key text, day date, states bigint, PRIMARY KEY (livemode, currency, customer_key, day))",
];

/** The hand-written statement of each stage: the same rows in plain SQL, nothing else. */
function handWritten(stage: BuildStage, start: string, end: string): string[] | null {
  const day = (c: string) => `(${c} AT TIME ZONE 'UTC')::date`;
  const range = `>= '${start}' AND %s < '${end}'`;
  const within = (c: string) => `${c} ${range.replace("%s", c)}`;
  switch (stage) {
    case "ledger":
      return [
        "DELETE FROM bench_ledger",
        `INSERT INTO bench_ledger SELECT day, currency, livemode, sum(charges), sum(gross), sum(refunds), sum(disputes), sum(fees), sum(fees_known)
         FROM (SELECT ${day("created")} AS day, lower(currency) AS currency, livemode, count(*) AS charges, sum(amount) AS gross,
                      0 AS refunds, 0 AS disputes, coalesce(sum(fee), 0) AS fees, count(fee) AS fees_known
               FROM charges WHERE status = 'succeeded' AND ${within("created")} GROUP BY 1, 2, 3
               UNION ALL SELECT ${day("created")}, lower(currency), livemode, 0, 0, sum(amount), 0, 0, 0
               FROM refunds WHERE status = 'succeeded' AND ${within("created")} GROUP BY 1, 2, 3
               UNION ALL SELECT ${day("created")}, lower(currency), livemode, 0, 0, 0, sum(amount), 0, 0
               FROM disputes WHERE ${within("created")} GROUP BY 1, 2, 3) f
         GROUP BY 1, 2, 3`,
      ];
    case "orders":
      return [
        "DELETE FROM bench_customer_orders",
        "DELETE FROM bench_daily_orders",
        `INSERT INTO bench_customer_orders
         SELECT * FROM (SELECT ${day("paid_at")} AS day, lower(currency) AS currency, livemode, customer_id, count(*), sum(amount_total),
                               coalesce(sum(count(*)) OVER (PARTITION BY customer_id, lower(currency), livemode ORDER BY ${day("paid_at")}
                                                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                        FROM orders WHERE paid_at IS NOT NULL GROUP BY 1, 2, 3, 4) c
         WHERE day BETWEEN '${start.slice(0, 10)}' AND ('${end}'::timestamptz AT TIME ZONE 'UTC')::date - 1`,
        `INSERT INTO bench_daily_orders SELECT day, currency, livemode, sum(orders), sum(revenue), count(*), count(*) FILTER (WHERE orders_before = 0)
         FROM bench_customer_orders GROUP BY 1, 2, 3`,
      ];
    case "products":
      return [
        "DELETE FROM bench_products",
        `INSERT INTO bench_products SELECT ${day("o.paid_at")}, lower(o.currency), o.livemode, l.product_id, sum(l.quantity), sum(l.amount_total),
                coalesce(sum(l.amount_total) FILTER (WHERE l.unit_cost_amount IS NOT NULL), 0),
                coalesce(sum(l.unit_cost_amount::bigint * l.quantity), 0), count(l.unit_cost_amount)
         FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE ${within("o.paid_at")} GROUP BY 1, 2, 3, 4`,
      ];
    case "cohorts":
      return [
        "DELETE FROM bench_cohorts",
        `INSERT INTO bench_cohorts SELECT livemode, currency, to_char(cohort, 'YYYY-MM'), to_char(month, 'YYYY-MM'), count(*)
         FROM (SELECT livemode, currency, month, min(month) OVER (PARTITION BY livemode, currency, customer_id) AS cohort
               FROM (SELECT DISTINCT livemode, lower(currency) AS currency, customer_id, date_trunc('month', paid_at AT TIME ZONE 'UTC') AS month
                     FROM orders WHERE paid_at IS NOT NULL AND paid_at < '${end}') m) c
         GROUP BY 1, 2, 3, 4`,
      ];
    case "customer_mrr":
      return [
        "DELETE FROM bench_customer_mrr",
        `INSERT INTO bench_customer_mrr SELECT livemode, lower(currency), coalesce(customer_id::text, stripe_customer_id), ${day("event_created")}, count(*)
         FROM subscription_history GROUP BY 1, 2, 3, 4`,
      ];
    default:
      return null;
  }
}

const HAND_STAGES: BuildStage[] = ["ledger", "orders", "products", "cohorts", "customer_mrr"];

/** Read-only statements every builder has to pay for at least (see the header). */
function lowerBounds(start: string, end: string): { label: string; sql: string }[] {
  const paid = `o.paid_at >= '${start}' AND o.paid_at < '${end}'`;
  return [
    {
      label: "order lines with their orders",
      sql: `SELECT count(*) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE ${paid}`,
    },
    {
      label: "distinct customer-days",
      sql: `SELECT count(*) FROM (SELECT DISTINCT (o.paid_at AT TIME ZONE 'UTC')::date, lower(o.currency), o.livemode, o.customer_id
                                 FROM orders o WHERE ${paid}) d`,
    },
  ];
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const orders = opts.quick ? 50_000 : 1_000_000;
  const bench = await createBenchDatabase(opts.postgresUrl, "snapshots");
  const pool = new pg.Pool({ connectionString: bench.url, max: 4 });
  const ctx = await createContext(testConfig({ DATABASE_URL: bench.url }));
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
    for (const statement of HAND_TABLES) await pool.query(statement);
    const stageMs = new Map<BuildStage, number[]>();
    const buildRun = async () => {
      await pool.query(`TRUNCATE ${SNAPSHOT_TABLES}`);
      const s = process.hrtime.bigint();
      await buildSnapshots(
        ctx,
        {
          from,
          to,
          timezone: "UTC",
          onStage: (stage, ms) => stageMs.set(stage, [...(stageMs.get(stage) ?? []), ms]),
        },
        systemActor,
      );
      return elapsedMs(s);
    };
    const handMs = new Map<BuildStage, number[]>();
    const handRun = async () => {
      for (const stage of HAND_STAGES) {
        const s = process.hrtime.bigint();
        await pool.query("BEGIN");
        await pool.query("SET LOCAL work_mem = '128MB'");
        for (const statement of handWritten(stage, start, end)!) await pool.query(statement);
        await pool.query("COMMIT");
        handMs.set(stage, [...(handMs.get(stage) ?? []), elapsedMs(s)]);
      }
    };
    const bounds = lowerBounds(start, end);
    const boundMs = new Map<string, number[]>();
    const boundRun = async () => {
      for (const { label, sql } of bounds) {
        const s = process.hrtime.bigint();
        await pool.query(sql);
        boundMs.set(label, [...(boundMs.get(label) ?? []), elapsedMs(s)]);
      }
    };
    await baselineRun(); // warm the cache for both
    const baselineMs: number[] = [];
    const buildMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baselineMs.push(await baselineRun());
      buildMs.push(await buildRun());
      await handRun();
      await boundRun();
      opts.log(
        `run ${i + 1}: baseline ${round(baselineMs[i]!, 0)} ms, buildSnapshots ${round(buildMs[i]!, 0)} ms`,
      );
    }

    const kpiFrom = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    const params = { from: kpiFrom, to, timezone: "UTC", currency: "usd" };
    await computeKpis(ctx, params);
    const latencies: number[] = [];
    for (let i = 0; i < KPI_QUERIES; i++) {
      t = process.hrtime.bigint();
      await computeKpis(ctx, params);
      latencies.push(elapsedMs(t));
    }
    const kpi = summarise(latencies);
    const baseline = median(baselineMs);
    const measured = median(buildMs);
    const ratio = measured / baseline;
    const stages = [...stageMs.entries()].map(([stage, ms]) => {
      const hand = handMs.get(stage);
      return { stage, builder: median(ms), hand: hand ? median(hand) : null };
    });
    opts.log("stage | builder median ms | hand-written median ms | ratio");
    for (const st of stages) {
      opts.log(
        `${st.stage} | ${round(st.builder, 0)} | ${st.hand === null ? "-" : round(st.hand, 0)} | ${st.hand === null ? "-" : round(st.builder / st.hand, 2)}`,
      );
    }
    const handTotal = stages.reduce((sum, st) => sum + (st.hand ?? 0), 0);
    const boundFigures = bounds.map(({ label }) => ({ label, ms: median(boundMs.get(label)!) }));
    const floor = baseline + boundFigures.reduce((sum, b) => sum + b.ms, 0);
    opts.log(
      `lower bound (baseline + ${boundFigures.map((b) => `${b.label} ${round(b.ms, 0)} ms`).join(" + ")}): ${round(floor / baseline, 2)} × baseline`,
    );
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
        ...stages.flatMap((st) => [
          { label: `stage ${st.stage}: builder`, value: st.builder, unit: "ms" },
          ...(st.hand === null
            ? []
            : [
                { label: `stage ${st.stage}: hand-written`, value: st.hand, unit: "ms" },
                { label: `stage ${st.stage}: ratio`, value: st.builder / st.hand, unit: "×" },
              ]),
        ]),
        { label: "hand-written stages, total", value: handTotal, unit: "ms" },
        { label: "build vs hand-written stages total", value: measured / handTotal, unit: "×" },
        ...boundFigures.map((b) => ({
          label: `lower bound: ${b.label} (read only)`,
          value: b.ms,
          unit: "ms",
        })),
        {
          label: "lower bound: baseline + reads above, ratio to baseline",
          value: floor / baseline,
          unit: "×",
        },
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
    await closeContext(ctx);
    await bench.drop();
  }
}
