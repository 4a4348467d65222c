/**
 * Dashboard latency: the executive dashboard (`GET /dashboard`) and `GET /api/v1/kpis` of a real
 * `revintel serve` process, p95 over repeated requests, on a shop with 1,000,000 orders against the
 * same shop with 10,000 orders (generated set-based, snapshots built). Dashboards read snapshots,
 * so their cost should follow the days shown, not the orders. Both shops are served at once and
 * measured in alternating rounds, so a passing disturbance on the machine hits both. Target: p95
 * ratio ≤ 1.5. The drill-down case: the first keyset page of `GET /api/v1/kpis/:key/records` (rows
 * and the figure, `totals=0`) over the same 90 days, rotating through figures of every kind of
 * record; target p95 < 150 ms at 1,000,000 orders, reported with its ratio to the dashboard's own
 * p95; the same pages with the totals of every row (what the records page shows) are reported too,
 * and the converted view's records of a few figures ("All currencies"; reported, no target).
 * Each statement behind `/api/v1/kpis` is also timed alone in process on both shops, to show
 * which of them grows with the shop (and with the default currency's read before it: what the API
 * reads), and `/api/v1/kpis` one request at a time on both shops: the work of a request without the
 * queueing of four at once on two cores.
 * `--scale 10m`: the large shop has 10,000,000 orders (same targets; results in `dashboard.10m.json`).
 */
import { addDays } from "../src/analytics/core/periods.ts";
import { buildSnapshots, computeKpis } from "../src/analytics/index.ts";
import { resolveParams } from "../src/analytics/params.ts";
import { snapshotLedger, snapshotOrders } from "../src/analytics/queries/kpis.ts";
import {
  movementsBetween,
  mrrAtEndOf,
  retentionBetween,
} from "../src/analytics/queries/mrr-from-snapshots.ts";
import { cliActor } from "../src/audit/index.ts";
import { testConfig } from "../src/config/env.ts";
import { type AppContext, closeContext, createContext } from "../src/context.ts";
import { GENERATED_DAYS, GENERATED_END, generateDataset } from "./generate.ts";
import { benchPool, createBenchDatabase } from "./lib/database.ts";
import { HttpPool } from "./lib/http.ts";
import { startServe } from "./lib/processes.ts";
import { benchReader } from "./lib/readers.ts";
import { runConcurrent, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult, BenchScale } from "./lib/types.ts";

/** Requests per page per round; rounds alternate the two shops so both see the same machine. */
const REQUESTS = 100;
const ROUNDS = 3;
const CONCURRENCY = 4;
const to = GENERATED_END.slice(0, 10);
const from = new Date(Date.parse(GENERATED_END) - (GENERATED_DAYS - 1) * 86_400_000)
  .toISOString()
  .slice(0, 10);
// The last 90 days, as the dashboard opens by default on a recent period.
const kpiFrom = new Date(Date.parse(GENERATED_END) - 89 * 86_400_000).toISOString().slice(0, 10);
const dashPath = `/dashboard?from=${kpiFrom}&to=${to}`;
const apiPath = `/api/v1/kpis?from=${kpiFrom}&to=${to}`;
/** One figure of each kind of record: charges, ledger union, orders, period customers, MRR rows, starting customers. */
const DRILL_KPIS = [
  "gross_revenue",
  "net_revenue",
  "refunds",
  "orders",
  "aov",
  "customers",
  "mrr",
  "mrr_movements.net",
  "net_revenue_retention",
  // MRR by plan: one plan's part of each subscription, split as the plan snapshot splits it.
  "plan_mrr?plan=price_bench_pro",
];
/** A figure's records path with the 90 days (a figure may carry its own narrowing, e.g. a plan). */
const recordsPath = (figure: string, query: string) => {
  const [key, narrowing] = figure.split("?");
  return `/api/v1/kpis/${key}/records?from=${kpiFrom}&to=${to}&limit=50${narrowing ? `&${narrowing}` : ""}${query}`;
};
/**
 * The converted view's records ("All currencies", first page of 50 with the totals of every row):
 * reported per figure, no target (each lists every currency's records, paged in one query).
 */
const CONVERTED_KPIS = [
  "gross_revenue",
  "orders",
  "aov",
  "customers",
  "mrr",
  "mrr_movements.net",
  "net_revenue_retention",
];
const convertedPaths = CONVERTED_KPIS.map((k) => recordsPath(k, "&currency=all&reporting_currency=usd"));
/** The keyset page (`totals=0`), and the same with the totals of every row of the 90 days. */
const drillPaths = DRILL_KPIS.map((k) => recordsPath(k, "&totals=0"));
const totalsPaths = DRILL_KPIS.map((k) => recordsPath(k, ""));
type Page = "dashboard" | "api" | "drilldown" | "totals";

interface Shop {
  lines: number;
  /** Times `REQUESTS` requests of one page at `CONCURRENCY`. */
  measure(page: Page): Promise<number[]>;
  /** Times `REQUESTS` requests of one page, one at a time: the work of a request without the queueing. */
  oneByOne(page: Page): Promise<number[]>;
  /** Each drill-down figure's first page alone, one request at a time: its median latency. */
  byFigure(): Promise<Array<{ figure: string; p50: number }>>;
  /** The same for the converted view's records of each figure in CONVERTED_KPIS (median of 5). */
  byConvertedFigure(): Promise<Array<{ figure: string; p50: number }>>;
  /** Each statement behind `/api/v1/kpis` alone, in process, one at a time: its median latency. */
  kpiParts(): Promise<Array<{ figure: string; p50: number }>>;
  close(): Promise<void>;
}

/** A shop of `orders` generated orders with snapshots built, served by its own `revintel serve`. */
async function openShop(opts: BenchOptions, orders: number, http: HttpPool): Promise<Shop> {
  const db = await createBenchDatabase(opts.postgresUrl, `dash_${orders}`);
  const pool = benchPool(db.url, 2);
  const ctx = await createContext(testConfig({ DATABASE_URL: db.url }));
  const closeData = async () => {
    await closeContext(ctx);
    await pool.end();
    await db.drop();
  };
  try {
    let t = Date.now();
    const size = await generateDataset(pool, { orders });
    opts.log(`${orders} orders, ${size.lines} lines generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    await buildSnapshots(ctx, { from, to, timezone: "UTC" }, cliActor);
    opts.log(`snapshots ${from}..${to} built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // Steady state for both sizes: without this, autovacuum works through the freshly written
    // million rows while the requests are timed, and the large shop measures the vacuum as well.
    // The checkpoint writes the generated pages out now rather than during the timed requests.
    t = Date.now();
    await pool.query("VACUUM ANALYZE");
    await pool.query("CHECKPOINT").catch(() => opts.log("CHECKPOINT needs a superuser; skipped"));
    opts.log(`vacuum analyze and checkpoint in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const { cookie, token } = await benchReader(ctx, "admin");
    const server = await startServe(db.url, { env: { LOG_LEVEL: "error" } });
    const headers = {
      dashboard: { cookie },
      api: { authorization: `Bearer ${token}` },
      drilldown: { authorization: `Bearer ${token}` },
      totals: { authorization: `Bearer ${token}` },
    };
    let drill = 0;
    const pathOf = (page: Page) =>
      page === "drilldown"
        ? drillPaths[drill++ % drillPaths.length]!
        : page === "totals"
          ? totalsPaths[drill++ % totalsPaths.length]!
          : page === "api"
            ? apiPath
            : dashPath;
    const get = async (page: Page) => {
      const path = pathOf(page);
      const res = await http.send(`${server.url}${path}`, { headers: headers[page] });
      if (res.status !== 200) throw new Error(`${path} → ${res.status}: ${res.body.slice(0, 200)}`);
    };
    /** Each path alone, one request at a time, `times` times: its median latency. */
    const medians = async (names: string[], paths: string[], times: number) => {
      const out: Array<{ figure: string; p50: number }> = [];
      for (const [i, figure] of names.entries()) {
        const p50 = await medianMs(times, async () => {
          const res = await http.send(`${server.url}${paths[i]}`, { headers: headers.drilldown });
          if (res.status !== 200) throw new Error(`${paths[i]} → ${res.status}`);
        });
        out.push({ figure, p50 });
      }
      return out;
    };
    for (let i = 0; i < 5; i++) await get("dashboard").then(() => get("api"));
    for (let i = 0; i < drillPaths.length; i++) await get("drilldown").then(() => get("totals"));
    return {
      lines: size.lines,
      measure: async (page) => (await runConcurrent(REQUESTS, CONCURRENCY, () => get(page))).latencies,
      oneByOne: async (page) => (await runConcurrent(REQUESTS, 1, () => get(page))).latencies,
      byFigure: () => medians(DRILL_KPIS, drillPaths, 9),
      byConvertedFigure: () => medians(CONVERTED_KPIS, convertedPaths, 5),
      kpiParts: () => kpiParts(ctx),
      close: async () => {
        await server.kill("SIGTERM");
        await closeData();
      },
    };
  } catch (err) {
    await closeData();
    throw err;
  }
}

/**
 * The reads `computeKpis` makes for the 90 days (it sends them as one statement), each alone, then
 * that one statement (the whole of `computeKpis` once the currency is known), median of 9: which
 * of them grows with the shop.
 */
async function kpiParts(ctx: AppContext): Promise<Array<{ figure: string; p50: number }>> {
  const p = await resolveParams(ctx, { from: kpiFrom, to, livemode: ctx.config.livemode }, "snapshots");
  const db = ctx.readDb;
  const parts: Array<[string, () => Promise<unknown>]> = [
    ["ledger totals", () => snapshotLedger(db, p)],
    ["order totals and customers", () => snapshotOrders(db, p)],
    ["MRR at the start", () => mrrAtEndOf(db, p, addDays(p.from, -1))],
    ["MRR at the end", () => mrrAtEndOf(db, p, p.to)],
    ["MRR movements", () => movementsBetween(db, p, p.from, p.to)],
    ["churn and retention", () => retentionBetween(db, p, addDays(p.from, -1), p.to)],
    ["all of them in one statement", () => computeKpis(ctx, p)],
    [
      "the default currency, then the one statement (the API's reads)",
      () => computeKpis(ctx, { from: p.from, to: p.to, livemode: p.livemode }),
    ],
  ];
  const out: Array<{ figure: string; p50: number }> = [];
  for (const [figure, part] of parts) out.push({ figure, p50: await medianMs(9, part) });
  return out;
}

/** `work` run `times` times, one after another: its median latency in ms. */
async function medianMs(times: number, work: () => Promise<unknown>): Promise<number> {
  const took: number[] = [];
  for (let r = 0; r < times; r++) {
    const t0 = performance.now();
    await work();
    took.push(performance.now() - t0);
  }
  return summarise(took).p50;
}

export const scales: BenchScale[] = ["10m"];

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const small = 10_000;
  const large = opts.quick ? 100_000 : opts.scale === "10m" ? 10_000_000 : 1_000_000;
  const http = new HttpPool(CONCURRENCY);
  const shops: Shop[] = [];
  try {
    shops.push(await openShop(opts, small, http));
    shops.push(await openShop(opts, large, http));
    const [smallShop, largeShop] = shops as [Shop, Shop];
    const samples = {
      small: {
        dashboard: [] as number[],
        api: [] as number[],
        drilldown: [] as number[],
        totals: [] as number[],
      },
      large: {
        dashboard: [] as number[],
        api: [] as number[],
        drilldown: [] as number[],
        totals: [] as number[],
      },
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const page of ["dashboard", "api", "drilldown", "totals"] as const) {
        samples.small[page].push(...(await smallShop.measure(page)));
        samples.large[page].push(...(await largeShop.measure(page)));
      }
    }
    const s = {
      dashboard: summarise(samples.small.dashboard),
      api: summarise(samples.small.api),
      drilldown: summarise(samples.small.drilldown),
      totals: summarise(samples.small.totals),
    };
    const l = {
      dashboard: summarise(samples.large.dashboard),
      api: summarise(samples.large.api),
      drilldown: summarise(samples.large.drilldown),
      totals: summarise(samples.large.totals),
      lines: largeShop.lines,
    };
    const figures = await largeShop.byFigure();
    opts.log(
      `drill-down p50 by figure @${large}: ${figures.map((f) => `${f.figure} ${f.p50.toFixed(1)} ms`).join(", ")}`,
    );
    const converted = await largeShop.byConvertedFigure();
    opts.log(
      `converted records p50 by figure @${large}: ${converted.map((f) => `${f.figure} ${f.p50.toFixed(1)} ms`).join(", ")}`,
    );
    const parts = { small: await smallShop.kpiParts(), large: await largeShop.kpiParts() };
    const oneByOne = {
      small: summarise(await smallShop.oneByOne("api")),
      large: summarise(await largeShop.oneByOne("api")),
    };
    opts.log(
      `api one request at a time p50 @${small} → @${large}: ${oneByOne.small.p50.toFixed(2)} → ${oneByOne.large.p50.toFixed(2)} ms`,
    );
    opts.log(
      `kpis statements p50 @${small} → @${large}: ${parts.large.map((f, i) => `${f.figure} ${parts.small[i]!.p50.toFixed(2)} → ${f.p50.toFixed(2)} ms`).join(", ")}`,
    );
    const worst = Math.max(l.dashboard.p95 / s.dashboard.p95, l.api.p95 / s.api.p95);
    const drillOk = l.drilldown.p95 < 150;
    return {
      name: "dashboard",
      description: `p95 of /dashboard and /api/v1/kpis at ${large} orders vs ${small} orders (worst of the two)`,
      baseline: { label: `dashboard p95 @${small}`, value: s.dashboard.p95, unit: "ms" },
      measured: { label: `dashboard p95 @${large}`, value: l.dashboard.p95, unit: "ms" },
      ratio: worst,
      target: "p95 ratio ≤ 1.5 for both; drill-down p95 < 150 ms at the large size",
      pass: worst <= 1.5 && drillOk,
      figures: [
        { label: `drill-down p95 @${small}`, value: s.drilldown.p95, unit: "ms" },
        { label: `drill-down p95 @${large}`, value: l.drilldown.p95, unit: "ms" },
        { label: `drill-down p50 @${large}`, value: l.drilldown.p50, unit: "ms" },
        {
          label: `drill-down p95 ÷ dashboard p95 @${large}`,
          value: l.drilldown.p95 / l.dashboard.p95,
          unit: "×",
        },
        ...figures.map((f) => ({
          label: `drill-down p50 @${large}, ${f.figure} alone`,
          value: f.p50,
          unit: "ms",
        })),
        ...converted.map((f) => ({
          label: `converted records (All currencies, first page with totals) p50 @${large}, ${f.figure}`,
          value: f.p50,
          unit: "ms",
        })),
        ...(["small", "large"] as const).flatMap((size) =>
          parts[size].map((f) => ({
            label: `kpis statement p50 @${size === "small" ? small : large}, ${f.figure} alone`,
            value: f.p50,
            unit: "ms",
          })),
        ),
        { label: `drill-down with totals p95 @${small}`, value: s.totals.p95, unit: "ms" },
        { label: `drill-down with totals p95 @${large}`, value: l.totals.p95, unit: "ms" },
        { label: `api p95 @${small}`, value: s.api.p95, unit: "ms" },
        { label: `api p95 @${large}`, value: l.api.p95, unit: "ms" },
        { label: `dashboard p50 @${small}`, value: s.dashboard.p50, unit: "ms" },
        { label: `dashboard p50 @${large}`, value: l.dashboard.p50, unit: "ms" },
        { label: `api p50 @${small}`, value: s.api.p50, unit: "ms" },
        { label: `api p50 @${large}`, value: l.api.p50, unit: "ms" },
        { label: `api p50 one request at a time @${small}`, value: oneByOne.small.p50, unit: "ms" },
        { label: `api p50 one request at a time @${large}`, value: oneByOne.large.p50, unit: "ms" },
        { label: "order lines (large)", value: l.lines, unit: "lines" },
      ],
      size: { smallOrders: small, largeOrders: large, requests: REQUESTS * ROUNDS, concurrency: CONCURRENCY },
      quick: opts.quick,
    };
  } finally {
    http.close();
    for (const shop of shops) await shop.close();
  }
}
