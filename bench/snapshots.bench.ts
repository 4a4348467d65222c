/**
 * Snapshot build on Postgres: `buildSnapshots` for 365 days over 1,000,000 generated orders (every
 * snapshot table: ledger, customer orders and gap counts, daily orders, products, cohorts, customer
 * and daily MRR, converted amounts, subscription MRR). Every build starts from empty snapshot tables
 * (emptied outside the timing), so each measured build writes every row. Then the same range is
 * rebuilt 3 times over the rows the last build wrote, nothing changed (an operator's rebuild), and
 * reported beside it.
 *
 * Target (issue 22): the build against its own floor. The lower bound is what any builder of these
 * tables has to pay at least: the single hand-written `INSERT … SELECT … GROUP BY` of the daily
 * revenue rows (the baseline of the first round) plus two read-only statements: reading the order
 * lines with their orders (the product rollups) and finding the distinct customer-days (customers
 * and new customers for any period). They group nothing and write nothing, so no builder can be
 * faster than their sum. Target: build ≤ 3 × that lower bound; `kpis` for a 90-day period p95 < 50 ms;
 * rebuilding one dirty day (marked with `markDaysDirty`, rebuilt by the worker's
 * `rebuildDirtyDays`) ≤ 5% of the full build. Builds, baseline and bounds run 3 times alternately;
 * medians compared.
 *
 * Also per stage: the builder's time for each stage against a hand-written statement computing the
 * same rows (or, for customer MRR, which is computed from the subscription history in the
 * application, one statement reading that history and writing a row per customer and day), so the
 * builder's overhead over plain SQL is visible; and a write floor: copying the customer-day rows the
 * hand-written orders statement produced into an empty table with the same key (what writing those
 * rows costs, without computing them); and the same for every row the build writes (each snapshot
 * table's rows copied into an empty twin with its keys), the floor of any builder of these tables.
 *
 * `--scale 10m` (cost growth): the same at 1,000,000 and at 10,000,000 orders in one run (no
 * hand-written stages): full build at 10M ≤ 12 × at 1M, dirty-day rebuild at 10M ≤ 2 × at 1M, `kpis`
 * for 90 days p95 < 50 ms at 10M.
 *
 * Beside the dirty day, what it is made of: the day's read-only statements (its order lines, its
 * customers' earlier paid orders, its charges: what any rebuild of a whole day reads, growing with
 * the day's data) and the same job for a day with no data (what a rebuild costs whatever the day holds).
 */
import type pg from "pg";
import { markDaysDirty } from "../src/analytics/dirty.ts";
import { computeKpis } from "../src/analytics/index.ts";
import { type BuildStage, buildSnapshots } from "../src/analytics/snapshots/build.ts";
import { rebuildDirtyDays } from "../src/analytics/snapshots/dirty-rebuild.ts";
import { systemActor } from "../src/audit/index.ts";
import { testConfig } from "../src/config/env.ts";
import { closeContext, createContext } from "../src/context.ts";
import { GENERATED_END, generateDataset } from "./generate.ts";
import { benchPool, createBenchDatabase } from "./lib/database.ts";
import { elapsedMs, type LatencySummary, percentile, round, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult, BenchScale, Figure } from "./lib/types.ts";

const RUNS = 3;
const KPI_QUERIES = 30;
const DIRTY_RUNS = 5;

const median = (xs: number[]) => percentile(xs, 50);

/**
 * Every snapshot table of the migrated schema (`snap_*`), read from the database so a table added
 * later is emptied too: a build into tables still holding the previous build's rows would delete
 * them first and write among their dead tuples, which is not the build being measured.
 */
async function snapshotTables(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'snap\\_%' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

/** Bench-owned tables the hand-written stage statements write (same keys as the snapshot tables). */
const HAND_TABLES = [
  "CREATE TABLE bench_ledger (day date, currency text, livemode boolean, charges bigint, gross bigint, refunds bigint, disputes bigint, fees bigint, fees_known bigint, PRIMARY KEY (livemode, currency, day))",
  "CREATE TABLE bench_customer_orders (day date, currency text, livemode boolean, customer_id int, orders int, revenue bigint, orders_before int, PRIMARY KEY (livemode, currency, day, customer_id))",
  "CREATE TABLE bench_daily_orders (day date, currency text, livemode boolean, orders bigint, revenue bigint, customers bigint, new_customers bigint, PRIMARY KEY (livemode, currency, day))",
  "CREATE TABLE bench_products (day date, currency text, livemode boolean, product_id int, units bigint, revenue bigint, costed_revenue bigint, cost bigint, costed_lines bigint, PRIMARY KEY (livemode, currency, day, product_id))",
  "CREATE TABLE bench_cohorts (livemode boolean, currency text, cohort text, month text, customers bigint, PRIMARY KEY (livemode, currency, cohort, month))",
  "CREATE TABLE bench_customer_mrr (livemode boolean, currency text, customer_key text, day date, states bigint, PRIMARY KEY (livemode, currency, customer_key, day))",
];

/** `work` in one transaction on one connection of the pool (a pool's queries may each take another). */
async function transaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await work(client);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

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

/** Orders paid in [start, end) (as `o`), for the read-only statements below. */
const paidIn = (start: string, end: string) => `o.paid_at >= '${start}' AND o.paid_at < '${end}'`;

/** Reading the order lines of the orders paid in [start, end) with their orders. */
const linesWithOrders = (start: string, end: string) =>
  `SELECT count(*) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE ${paidIn(start, end)}`;

/** Read-only statements every builder has to pay for at least (see the header). */
function lowerBounds(start: string, end: string): { label: string; sql: string }[] {
  const paid = paidIn(start, end);
  return [
    { label: "order lines with their orders", sql: linesWithOrders(start, end) },
    {
      label: "distinct customer-days",
      sql: `SELECT count(*) FROM (SELECT DISTINCT (o.paid_at AT TIME ZONE 'UTC')::date, lower(o.currency), o.livemode, o.customer_id
                                 FROM orders o WHERE ${paid}) d`,
    },
  ];
}

/**
 * Read-only statements a rebuild of one whole day has to pay for at least, whatever it computes: the
 * day's order lines with their orders (the product rows), the day's customers with their earlier
 * paid orders (who is new, and each customer's order count before the day, through the customer
 * index), and the day's succeeded charges (the ledger row). They grow with the day's data.
 */
function dayReads(dayStart: string, dayEnd: string): { label: string; sql: string }[] {
  const paid = paidIn(dayStart, dayEnd);
  return [
    { label: "the day's order lines with their orders", sql: linesWithOrders(dayStart, dayEnd) },
    {
      label: "the day's customers with their earlier paid orders",
      sql: `SELECT count(*), sum(e.n) FROM (SELECT DISTINCT o.customer_id, lower(o.currency) AS currency, o.livemode
                                            FROM orders o WHERE ${paid}) d
            CROSS JOIN LATERAL (SELECT count(*) AS n FROM orders p
                                WHERE p.customer_id = d.customer_id AND lower(p.currency) = d.currency
                                  AND p.livemode = d.livemode AND p.paid_at < '${dayStart}') e`,
    },
    {
      label: "the day's succeeded charges",
      sql: `SELECT currency, livemode, count(*), sum(amount) FROM charges
            WHERE status = 'succeeded' AND created >= '${dayStart}' AND created < '${dayEnd}' GROUP BY 1, 2`,
    },
  ];
}

/** The day's read-only statements' medians, summed: what reading the day costs. */
const readingTheDay = (reads: { ms: number }[]) => reads.reduce((sum, r) => sum + r.ms, 0);

/** What one data size measured. */
interface ScaleFigures {
  orders: number;
  size: Record<string, number>;
  generateMs: number;
  baseline: number;
  floor: number;
  build: number;
  buildRuns: number[];
  baselineRuns: number[];
  bounds: { label: string; ms: number }[];
  stages: { stage: BuildStage; builder: number; hand: number | null }[];
  handTotal: number;
  writeFloor: number | null;
  /** Copying every row the build wrote into empty tables with the same keys (null without hand stages). */
  writeAllFloor: number | null;
  /** Rows the last build wrote (its audit count). */
  builtRows: number;
  /** The same 365 days built again over the rows the last build left (nothing changed): an operator's rebuild. */
  rebuild: number;
  /** The day marked without saying what changed (every part of it rebuilt). */
  dirty: LatencySummary;
  /** Median time of each stage in those rebuilds. */
  dirtyStages: { stage: BuildStage; ms: number }[];
  /** The day after an order is paid, marked as the app marks it (the order's customer; its charge). */
  dirtyPaid: LatencySummary;
  /** Median time of each stage in those rebuilds. */
  dirtyPaidStages: { stage: BuildStage; ms: number }[];
  dirtySubscription: LatencySummary;
  /** Each of the day's read-only statements (median). */
  dayReads: { label: string; ms: number }[];
  /** A dirty day with no data at all (two months after it ends): what a rebuild costs whatever the day holds. */
  dirtyEmpty: LatencySummary;
  kpi: LatencySummary;
}

/** Generate `orders` orders in a fresh database and measure builds, bounds, dirty-day rebuilds and kpis. */
async function measureScale(opts: BenchOptions, orders: number, withHand: boolean): Promise<ScaleFigures> {
  const bench = await createBenchDatabase(opts.postgresUrl, "snapshots");
  const pool = benchPool(bench.url, 4);
  // Days are cut in UTC (the default reporting zone), as the builds below are.
  const ctx = await createContext(testConfig({ DATABASE_URL: bench.url, REPORTING_TIMEZONE: "UTC" }));
  const log = (m: string) => opts.log(`${orders.toLocaleString("en-US")} orders: ${m}`);
  try {
    let t = process.hrtime.bigint();
    const data = await generateDataset(pool, { orders });
    const generateMs = elapsedMs(t);
    log(
      `generated ${data.lines} lines, ${data.charges} charges, ${data.history} subscription states in ${round(generateMs / 1000, 1)} s`,
    );
    await pool.query("CHECKPOINT");

    const to = GENERATED_END.slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
    const start = `${from}T00:00:00Z`;
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
    await pool.query(
      "CREATE TABLE bench_daily_revenue (day date, currency text, livemode boolean, gross bigint, charges int, PRIMARY KEY (livemode, currency, day))",
    );
    const baselineRun = async () => {
      const s = process.hrtime.bigint();
      await transaction(pool, async (client) => {
        await client.query("DELETE FROM bench_daily_revenue");
        await client.query(
          `INSERT INTO bench_daily_revenue (day, currency, livemode, gross, charges)
           SELECT (created AT TIME ZONE 'UTC')::date, currency, livemode, sum(amount), count(*)
           FROM charges WHERE status = 'succeeded' AND created >= $1 AND created < $2
           GROUP BY 1, 2, 3`,
          [start, end],
        );
      });
      return elapsedMs(s);
    };
    for (const statement of HAND_TABLES) await pool.query(statement);
    const snapTables = await snapshotTables(pool);
    let builtRows = 0;
    const stageMs = new Map<BuildStage, number[]>();
    const buildRun = async () => {
      await pool.query(`TRUNCATE ${snapTables.join(", ")}`);
      const s = process.hrtime.bigint();
      const built = await buildSnapshots(
        ctx,
        {
          from,
          to,
          timezone: "UTC",
          onStage: (stage, ms) => stageMs.set(stage, [...(stageMs.get(stage) ?? []), ms]),
        },
        systemActor,
      );
      const ms = elapsedMs(s);
      builtRows = built.rows;
      return ms;
    };
    const handMs = new Map<BuildStage, number[]>();
    const handRun = async () => {
      for (const stage of HAND_STAGES) {
        const s = process.hrtime.bigint();
        await transaction(pool, async (client) => {
          await client.query("SET LOCAL work_mem = '128MB'");
          for (const statement of handWritten(stage, start, end)!) await client.query(statement);
        });
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
      if (withHand) await handRun();
      await boundRun();
      log(
        `run ${i + 1}: baseline ${round(baselineMs[i]!, 0)} ms, buildSnapshots ${round(buildMs[i]!, 0)} ms`,
      );
    }
    // Writing the rows alone: the hand-written customer-day rows copied into an empty table with their key.
    let writeFloor: number | null = null;
    if (withHand) {
      const writes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await pool.query("DROP TABLE IF EXISTS bench_write_floor");
        await pool.query("CREATE TABLE bench_write_floor (LIKE bench_customer_orders INCLUDING ALL)");
        const s = process.hrtime.bigint();
        await pool.query("INSERT INTO bench_write_floor SELECT * FROM bench_customer_orders");
        writes.push(elapsedMs(s));
      }
      writeFloor = median(writes);
    }
    // Writing everything the build wrote: each snapshot table's rows (as the last build left them)
    // copied into an empty table with the same keys and indexes, in one transaction. No builder of
    // these tables can write them faster, whatever it computes.
    let writeAllFloor: number | null = null;
    if (withHand) {
      const writes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        for (const table of snapTables) {
          await pool.query(`DROP TABLE IF EXISTS bench_copy_${table}`);
          await pool.query(`CREATE TABLE bench_copy_${table} (LIKE ${table} INCLUDING ALL)`);
        }
        const s = process.hrtime.bigint();
        await transaction(pool, async (client) => {
          for (const table of snapTables)
            await client.query(`INSERT INTO bench_copy_${table} SELECT * FROM ${table}`);
        });
        writes.push(elapsedMs(s));
      }
      writeAllFloor = median(writes);
      log(
        `writing every snapshot row (${builtRows} rows) into empty keyed tables: ${round(writeAllFloor, 0)} ms`,
      );
    }

    // An operator's rebuild: the same range built again over the rows the last build wrote, nothing
    // changed (the builds above each start from empty tables). Once at the 10M size (minutes each).
    const rebuildRuns: number[] = [];
    for (let i = 0; i < (orders > 1_000_000 ? 1 : RUNS); i++) {
      const s = process.hrtime.bigint();
      await buildSnapshots(ctx, { from, to, timezone: "UTC" }, systemActor);
      rebuildRuns.push(elapsedMs(s));
    }
    const rebuild = median(rebuildRuns);
    log(`rebuild over its own rows: ${rebuildRuns.map((ms) => round(ms, 0)).join(" / ")} ms`);

    // Incremental freshness: the last built state, then one day marked dirty as the app marks it
    // (`markDaysDirty` in the change's transaction) and the worker's job run, timed. First with no
    // subscription change (an order or charge day), then after a subscription state on that day.
    const lastDay = new Date(`${to}T12:00:00Z`);
    /**
     * Mark `day` dirty without saying what changed (none: the marks are already there) and time the
     * worker's job; each stage's time goes into `stages` when given.
     */
    const dirtyRun = async (day: Date | undefined, stages?: Map<BuildStage, number[]>) => {
      if (day) await markDaysDirty(ctx, [day]);
      const s = process.hrtime.bigint();
      const days = await rebuildDirtyDays(ctx, (stage, ms) => {
        stages?.set(stage, [...(stages.get(stage) ?? []), ms]);
      });
      if (days !== 1) throw new Error(`dirty-day rebuild rebuilt ${days} days, expected 1`);
      return elapsedMs(s);
    };
    await dirtyRun(lastDay);
    const dirtyMs: number[] = [];
    // Each stage of the order-day rebuilds (medians): where a dirty day's time goes.
    const orderDayStages = new Map<BuildStage, number[]>();
    for (let i = 0; i < DIRTY_RUNS; i++) dirtyMs.push(await dirtyRun(lastDay, orderDayStages));
    const dirtyStages = [...orderDayStages].map(([stage, ms]) => ({ stage, ms: median(ms) }));
    // An order paid on the day by a customer who paid before, with its lines and its charge, marked
    // as the app marks them: the order with its customer, each an arrival (the day's product and
    // amount counts take in these two records alone).
    const paidAt = new Date(`${to}T12:00:00Z`);
    const payOrder = async (i: number) => {
      const at = new Date(paidAt.getTime() + i * 60_000);
      const { rows } = await pool.query<{ id: number; customer_id: number; source: number }>(
        `WITH source AS (
           SELECT * FROM orders WHERE paid_at < $1 ORDER BY paid_at DESC LIMIT 1 OFFSET $2
         )
         INSERT INTO orders (id, number, customer_id, status, currency, amount_subtotal, amount_total,
                             amount_refunded, livemode, created_at, paid_at, updated_at)
         OVERRIDING SYSTEM VALUE
         SELECT (SELECT max(id) + 1 FROM orders), 'B-DIRTY-' || $2, customer_id, 'paid', currency,
                amount_subtotal, amount_total, 0, livemode, $1, $1, $1
         FROM source
         RETURNING id, customer_id, (SELECT id FROM source) AS source`,
        [at.toISOString(), i * 97],
      );
      const order = rows[0]!;
      await pool.query(
        `INSERT INTO order_lines (id, order_id, product_id, sku, name, quantity, unit_price_amount,
                                  unit_cost_amount, amount_total)
         OVERRIDING SYSTEM VALUE
         SELECT (SELECT max(id) FROM order_lines) + row_number() OVER (ORDER BY id), $1, product_id, sku, name,
                quantity, unit_price_amount, unit_cost_amount, amount_total
         FROM order_lines WHERE order_id = $2`,
        [order.id, order.source],
      );
      await pool.query(
        `INSERT INTO charges (id, amount, amount_refunded, currency, status, paid, created, livemode,
                              stripe_customer_id, order_id, fee, source_event_created)
         SELECT 'ch_bench_dirty_' || id, amount_total, 0, currency, 'succeeded', true, paid_at, livemode,
                'cus_bench' || customer_id, id, round(amount_total * 0.029)::int + 30, paid_at
         FROM orders WHERE id = $1`,
        [order.id],
      );
      // The app marks a payment and a charge stored just now as arrivals (`applyTransition`, `upsertCharge`).
      await markDaysDirty(ctx, [at], {
        paidOrdersOf: [order.customer_id],
        arrived: { orders: [{ id: order.id, paidAt: at }] },
      });
      await markDaysDirty(ctx, [at], {
        paidOrdersOf: [],
        arrived: { charges: [{ id: `ch_bench_dirty_${order.id}`, created: at }] },
      });
    };
    const paidStages = new Map<BuildStage, number[]>();
    const dirtyPaidMs: number[] = [];
    for (let i = 0; i <= DIRTY_RUNS; i++) {
      await payOrder(i);
      const ms = await dirtyRun(undefined, i > 0 ? paidStages : undefined);
      // The first round warms the cache, as the first dirty run above did.
      if (i > 0) dirtyPaidMs.push(ms);
    }
    const dirtyPaidStages = [...paidStages].map(([stage, ms]) => ({ stage, ms: median(ms) }));
    // What reading the day costs (no builder of a whole day pays less), alternated with nothing else.
    const reads = dayReads(`${to}T00:00:00Z`, end);
    const readMs = new Map<string, number[]>();
    for (let i = 0; i < DIRTY_RUNS + 1; i++) {
      for (const { label, sql } of reads) {
        const s = process.hrtime.bigint();
        await pool.query(sql);
        // The first round warms the cache, as the first dirty run above did.
        if (i > 0) readMs.set(label, [...(readMs.get(label) ?? []), elapsedMs(s)]);
      }
    }
    const dayReadFigures = reads.map(({ label }) => ({ label, ms: median(readMs.get(label)!) }));
    const dayReadsMs = readingTheDay(dayReadFigures);
    // The same job for a day with no data (nothing paid, charged, refunded or changed on it, in a month
    // without any): the part of a dirty day's time that does not grow with the day's data.
    const emptyDay = new Date(Date.parse(`${to}T12:00:00Z`) + 62 * 86_400_000);
    await dirtyRun(emptyDay);
    const dirtyEmptyMs: number[] = [];
    for (let i = 0; i < DIRTY_RUNS; i++) dirtyEmptyMs.push(await dirtyRun(emptyDay));
    const dirtySubscriptionMs: number[] = [];
    for (let i = 0; i < DIRTY_RUNS; i++) {
      // A new state of an existing subscription (quantity up), as a webhook would store it.
      await pool.query(
        `INSERT INTO subscription_history (subscription_id, event_id, event_created, received_seq, stripe_customer_id,
                customer_id, status, currency, items, current_period_start, livemode, mrr)
         SELECT subscription_id, 'evt_bench_dirty_' || $2::int, $1::timestamptz + make_interval(secs => $2::int), 0,
                stripe_customer_id, customer_id, 'active', currency,
                jsonb_set(items, '{0,quantity}', to_jsonb(3 + $2::int)), $1::timestamptz, livemode, mrr
         FROM subscription_history WHERE subscription_id = 'sub_bench1' ORDER BY event_created DESC LIMIT 1`,
        [lastDay.toISOString(), i],
      );
      dirtySubscriptionMs.push(await dirtyRun(lastDay));
    }
    const dirty = summarise(dirtyMs);
    const dirtyPaid = summarise(dirtyPaidMs);
    const dirtySubscription = summarise(dirtySubscriptionMs);
    const dirtyEmpty = summarise(dirtyEmptyMs);
    log(
      `dirty day after an order is paid: median ${round(dirtyPaid.p50, 0)} ms, p95 ${round(dirtyPaid.p95, 0)} ms (${dirtyPaidStages.map((st) => `${st.stage} ${round(st.ms, 1)}`).join(", ")})`,
    );
    log(
      `dirty-day rebuild (marked without saying what changed): median ${round(dirty.p50, 0)} ms, p95 ${round(dirty.p95, 0)} ms (${dirtyStages.map((st) => `${st.stage} ${round(st.ms, 1)}`).join(", ")}); after a subscription change: median ${round(dirtySubscription.p50, 0)} ms; a day with no data: median ${round(dirtyEmpty.p50, 0)} ms; reading the day: ${round(dayReadsMs, 1)} ms`,
    );

    const kpiFrom = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    const params = { from: kpiFrom, to, timezone: "UTC", currency: "usd" };
    await computeKpis(ctx, params);
    const latencies: number[] = [];
    for (let i = 0; i < KPI_QUERIES; i++) {
      t = process.hrtime.bigint();
      await computeKpis(ctx, params);
      latencies.push(elapsedMs(t));
    }
    const baseline = median(baselineMs);
    const stages = [...stageMs.entries()].map(([stage, ms]) => {
      const hand = handMs.get(stage);
      return { stage, builder: median(ms), hand: hand ? median(hand) : null };
    });
    log("stage | builder median ms | hand-written median ms | ratio");
    for (const st of stages) {
      log(
        `${st.stage} | ${round(st.builder, 0)} | ${st.hand === null ? "-" : round(st.hand, 0)} | ${st.hand === null ? "-" : round(st.builder / st.hand, 2)}`,
      );
    }
    const boundFigures = bounds.map(({ label }) => ({ label, ms: median(boundMs.get(label)!) }));
    const floor = baseline + boundFigures.reduce((sum, b) => sum + b.ms, 0);
    log(
      `lower bound (baseline ${round(baseline, 0)} ms + ${boundFigures.map((b) => `${b.label} ${round(b.ms, 0)} ms`).join(" + ")}): ${round(floor, 0)} ms = ${round(floor / baseline, 2)} × baseline`,
    );
    return {
      orders,
      size: {
        orders,
        lines: data.lines,
        charges: data.charges,
        refunds: data.refunds,
        subscriptionStates: data.history,
        days: 365,
      },
      generateMs,
      baseline,
      floor,
      build: median(buildMs),
      buildRuns: buildMs,
      baselineRuns: baselineMs,
      bounds: boundFigures,
      stages,
      handTotal: stages.reduce((sum, st) => sum + (st.hand ?? 0), 0),
      writeFloor,
      writeAllFloor,
      builtRows,
      rebuild,
      dirty,
      dirtyStages,
      dirtyPaid,
      dirtyPaidStages,
      dirtySubscription,
      dayReads: dayReadFigures,
      dirtyEmpty,
      kpi: summarise(latencies),
    };
  } finally {
    await pool.end();
    await closeContext(ctx);
    await bench.drop();
  }
}

/** The figures of one size, labelled with its order count when the run has two. */
function scaleFigures(m: ScaleFigures, prefix: string): Figure[] {
  const f = (label: string, value: number, unit: string) => ({ label: `${prefix}${label}`, value, unit });
  return [
    f("generate", m.generateMs / 1000, "s"),
    f("buildSnapshots 365 days (median)", m.build, "ms"),
    f("build vs lower bound", m.build / m.floor, "×"),
    f("lower bound", m.floor, "ms"),
    f("build vs daily-revenue baseline", m.build / m.baseline, "×"),
    f("rebuild over its own rows, nothing changed (median)", m.rebuild, "ms"),
    f("rebuild over its own rows vs lower bound", m.rebuild / m.floor, "×"),
    f("dirty day after an order is paid, median", m.dirtyPaid.p50, "ms"),
    f("dirty day after an order is paid, p95", m.dirtyPaid.p95, "ms"),
    f("dirty day after an order is paid, median vs full build", m.dirtyPaid.p50 / m.build, "×"),
    ...m.dirtyPaidStages.map((st) => f(`dirty day after an order is paid, stage ${st.stage}`, st.ms, "ms")),
    f("dirty-day rebuild median", m.dirty.p50, "ms"),
    f("dirty-day rebuild p95", m.dirty.p95, "ms"),
    f("dirty-day rebuild median vs full build", m.dirty.p50 / m.build, "×"),
    ...m.dirtyStages.map((st) => f(`dirty-day stage ${st.stage}`, st.ms, "ms")),
    f("dirty-day rebuild after a subscription change, median", m.dirtySubscription.p50, "ms"),
    f("dirty-day rebuild after a subscription change, p95", m.dirtySubscription.p95, "ms"),
    f("dirty-day rebuild of a day with no data, median", m.dirtyEmpty.p50, "ms"),
    f(
      "dirty-day floor: reading the day (its order lines, customers' earlier orders, charges)",
      readingTheDay(m.dayReads),
      "ms",
    ),
    ...m.dayReads.map((r) => f(`dirty-day floor: ${r.label} (read only)`, r.ms, "ms")),
    f("dirty-day rebuild vs reading the day", m.dirty.p50 / readingTheDay(m.dayReads), "×"),
    f("kpis 90 days p50", m.kpi.p50, "ms"),
    f("kpis 90 days p95", m.kpi.p95, "ms"),
    f("kpis 90 days max", m.kpi.max, "ms"),
    ...m.buildRuns.map((v, i) => f(`build run ${i + 1}`, v, "ms")),
    ...m.stages.flatMap((st) => [
      f(`stage ${st.stage}: builder`, st.builder, "ms"),
      ...(st.hand === null
        ? []
        : [
            f(`stage ${st.stage}: hand-written`, st.hand, "ms"),
            f(`stage ${st.stage}: ratio`, st.builder / st.hand, "×"),
          ]),
    ]),
    ...(m.handTotal > 0
      ? [
          f("hand-written stages, total", m.handTotal, "ms"),
          f("build vs hand-written stages total", m.build / m.handTotal, "×"),
        ]
      : []),
    ...(m.writeFloor === null
      ? []
      : [f("write floor: customer-day rows copied into a keyed table", m.writeFloor, "ms")]),
    f("rows written by a build", m.builtRows, "rows"),
    ...(m.writeAllFloor === null
      ? []
      : [
          f("write floor: every snapshot row copied into empty keyed tables", m.writeAllFloor, "ms"),
          f("write floor (every snapshot row) vs lower bound", m.writeAllFloor / m.floor, "×"),
        ]),
    ...m.bounds.map((b) => f(`lower bound: ${b.label} (read only)`, b.ms, "ms")),
    f("lower bound: baseline + reads above, ratio to baseline", m.floor / m.baseline, "×"),
    ...m.baselineRuns.map((v, i) => f(`baseline run ${i + 1}`, v, "ms")),
  ];
}

export const scales: BenchScale[] = ["10m"];

export async function run(opts: BenchOptions): Promise<BenchResult> {
  if (opts.scale === "10m" && !opts.quick) {
    const small = await measureScale(opts, 1_000_000, false);
    const large = await measureScale(opts, 10_000_000, false);
    const buildGrowth = large.build / small.build;
    // The day as the app marks it after an order is paid; the day marked without saying what changed beside it.
    const dirtyGrowth = large.dirtyPaid.p50 / small.dirtyPaid.p50;
    return {
      name: "snapshots",
      description: "buildSnapshots for 365 days and a dirty-day rebuild at 10,000,000 vs 1,000,000 orders",
      baseline: { label: "buildSnapshots at 1,000,000 orders", value: small.build, unit: "ms" },
      measured: { label: "buildSnapshots at 10,000,000 orders", value: large.build, unit: "ms" },
      ratio: buildGrowth,
      target: "build ratio ≤ 12, dirty-day rebuild ratio ≤ 2, kpis (90 days, 10M) p95 < 50 ms",
      pass: buildGrowth <= 12 && dirtyGrowth <= 2 && large.kpi.p95 < 50,
      figures: [
        { label: "dirty day after an order is paid 10M vs 1M (medians)", value: dirtyGrowth, unit: "×" },
        {
          label: "dirty-day rebuild (marked without saying what changed) 10M vs 1M (medians)",
          value: large.dirty.p50 / small.dirty.p50,
          unit: "×",
        },
        {
          label: "dirty-day floor (reading the day) 10M vs 1M",
          value: readingTheDay(large.dayReads) / readingTheDay(small.dayReads),
          unit: "×",
        },
        {
          label: "dirty-day rebuild of a day with no data 10M vs 1M",
          value: large.dirtyEmpty.p50 / small.dirtyEmpty.p50,
          unit: "×",
        },
        ...scaleFigures(small, "1M: "),
        ...scaleFigures(large, "10M: "),
      ],
      size: { ...large.size, smallOrders: small.orders },
      quick: opts.quick,
    };
  }
  const m = await measureScale(opts, opts.quick ? 50_000 : 1_000_000, true);
  const ratio = m.build / m.floor;
  const dirtyShare = Math.max(m.dirty.p50, m.dirtyPaid.p50) / m.build;
  return {
    name: "snapshots",
    description:
      "buildSnapshots for 365 days vs its lower bound (daily-revenue INSERT … SELECT + two read-only statements)",
    baseline: { label: "lower bound", value: m.floor, unit: "ms" },
    measured: { label: "buildSnapshots 365 days", value: m.build, unit: "ms" },
    ratio,
    target: "ratio ≤ 3, dirty-day rebuild ≤ 5% of the build, kpis (90 days) p95 < 50 ms",
    pass: ratio <= 3 && dirtyShare <= 0.05 && m.kpi.p95 < 50,
    figures: scaleFigures(m, ""),
    size: m.size,
    quick: opts.quick,
  };
}
