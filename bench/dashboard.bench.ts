/**
 * Dashboard latency: the executive dashboard (`GET /dashboard`) and `GET /api/v1/kpis` of a real
 * `revintel serve` process, p95 over repeated requests, on a shop with 1,000,000 orders against the
 * same shop with 10,000 orders (generated set-based, snapshots built). Dashboards read snapshots,
 * so their cost should follow the days shown, not the orders. Target: p95 ratio ≤ 1.5.
 */
import pg from "pg";
import { buildSnapshots } from "../src/analytics/index.ts";
import { cliActor } from "../src/audit/index.ts";
import { createApiToken, createUser } from "../src/auth/index.ts";
import { testConfig } from "../src/config/env.ts";
import { closeContext, createContext } from "../src/context.ts";
import { sessionCookieFor } from "../src/testing/http.ts";
import { GENERATED_DAYS, GENERATED_END, generateDataset } from "./generate.ts";
import { createBenchDatabase } from "./lib/database.ts";
import { HttpPool } from "./lib/http.ts";
import { startServe } from "./lib/processes.ts";
import { runConcurrent, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const REQUESTS = 100;
const CONCURRENCY = 4;
const to = GENERATED_END.slice(0, 10);
const from = new Date(Date.parse(GENERATED_END) - (GENERATED_DAYS - 1) * 86_400_000)
  .toISOString()
  .slice(0, 10);
// The last 90 days, as the dashboard opens by default on a recent period.
const kpiFrom = new Date(Date.parse(GENERATED_END) - 89 * 86_400_000).toISOString().slice(0, 10);

async function measureShop(opts: BenchOptions, orders: number) {
  const db = await createBenchDatabase(opts.postgresUrl, `dash_${orders}`);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const ctx = await createContext(testConfig({ DATABASE_URL: db.url }));
  const http = new HttpPool(CONCURRENCY);
  try {
    let t = Date.now();
    const size = await generateDataset(pool, { orders });
    opts.log(`${orders} orders, ${size.lines} lines generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    await buildSnapshots(ctx.db, { from, to, timezone: "UTC" }, cliActor);
    opts.log(`snapshots ${from}..${to} built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // Steady state for both sizes: without this, autovacuum works through the freshly written
    // million rows while the requests are timed, and the large shop measures the vacuum as well.
    t = Date.now();
    await pool.query("VACUUM ANALYZE");
    opts.log(`vacuum analyze in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const user = await createUser(
      ctx.db,
      { email: "bench-admin@example.test", password: "x".repeat(16), role: "admin" },
      cliActor,
    );
    const cookie = await sessionCookieFor(ctx, user.id);
    const { token } = await createApiToken(
      ctx.db,
      { name: "bench", role: "analyst", createdBy: null },
      cliActor,
    );
    const server = await startServe(db.url, { env: { LOG_LEVEL: "error" } });
    try {
      const get = async (path: string, headers: Record<string, string>) => {
        const res = await http.send(`${server.url}${path}`, { headers });
        if (res.status !== 200) throw new Error(`${path} → ${res.status}: ${res.body.slice(0, 200)}`);
      };
      const dashPath = `/dashboard?from=${kpiFrom}&to=${to}`;
      const apiPath = `/api/v1/kpis?from=${kpiFrom}&to=${to}`;
      const auth = { authorization: `Bearer ${token}` };
      for (let i = 0; i < 5; i++) await get(dashPath, { cookie }).then(() => get(apiPath, auth));
      const dash = await runConcurrent(REQUESTS, CONCURRENCY, () => get(dashPath, { cookie }));
      const api = await runConcurrent(REQUESTS, CONCURRENCY, () => get(apiPath, auth));
      return { dashboard: summarise(dash.latencies), api: summarise(api.latencies), lines: size.lines };
    } finally {
      await server.kill("SIGTERM");
    }
  } finally {
    http.close();
    await closeContext(ctx);
    await pool.end();
    await db.drop();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const small = 10_000;
  const large = opts.quick ? 100_000 : 1_000_000;
  const s = await measureShop(opts, small);
  const l = await measureShop(opts, large);
  const worst = Math.max(l.dashboard.p95 / s.dashboard.p95, l.api.p95 / s.api.p95);
  return {
    name: "dashboard",
    description: `p95 of /dashboard and /api/v1/kpis at ${large} orders vs ${small} orders (worst of the two)`,
    baseline: { label: `dashboard p95 @${small}`, value: s.dashboard.p95, unit: "ms" },
    measured: { label: `dashboard p95 @${large}`, value: l.dashboard.p95, unit: "ms" },
    ratio: worst,
    target: "p95 ratio ≤ 1.5 for both",
    pass: worst <= 1.5,
    figures: [
      { label: `api p95 @${small}`, value: s.api.p95, unit: "ms" },
      { label: `api p95 @${large}`, value: l.api.p95, unit: "ms" },
      { label: `dashboard p50 @${small}`, value: s.dashboard.p50, unit: "ms" },
      { label: `dashboard p50 @${large}`, value: l.dashboard.p50, unit: "ms" },
      { label: `api p50 @${small}`, value: s.api.p50, unit: "ms" },
      { label: `api p50 @${large}`, value: l.api.p50, unit: "ms" },
      { label: "order lines (large)", value: l.lines, unit: "lines" },
    ],
    size: { smallOrders: small, largeOrders: large, requests: REQUESTS, concurrency: CONCURRENCY },
    quick: opts.quick,
  };
}
