/**
 * Ops orders list: `GET /admin/orders` as ops use it (first page, a status, a week, one customer, an
 * e-mail prefix, an amount range, an order id, a page deep in the list by position), on a shop with
 * 1,000,000 orders against the same shop with 10,000 orders, through the app in this process (page
 * rendering included). Each filter is answered by an index walk that stops after a page and a count
 * capped at 1,000 matches, so the cost should follow the page, not the orders. Both shops are
 * measured in alternating rounds. Target: the worst page's p95 ratio ≤ 1.5 (as for the dashboards:
 * the absolute figures, mostly rendering fifty rows, depend on the machine and are reported).
 */
import { testConfig } from "../src/config/env.ts";
import { closeContext, createContext } from "../src/context.ts";
import { createApp } from "../src/web/app.ts";
import {
  GENERATED_DAYS,
  GENERATED_END,
  generateCustomers,
  generateOrders,
  generateProducts,
} from "./generate.ts";
import { benchPool, createBenchDatabase } from "./lib/database.ts";
import { benchReader } from "./lib/readers.ts";
import { runConcurrent, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const REQUESTS = 20;
const ROUNDS = 5;
const CONCURRENCY = 2;
const day = (daysBeforeEnd: number) =>
  new Date(Date.parse(GENERATED_END) - daysBeforeEnd * 86_400_000).toISOString().slice(0, 10);

const PAGES = ["first", "status", "week", "customer", "email", "amount", "order id", "deep"] as const;
type PageName = (typeof PAGES)[number];

interface Shop {
  measure(page: PageName): Promise<number[]>;
  close(): Promise<void>;
}

async function openShop(opts: BenchOptions, orders: number): Promise<Shop> {
  const db = await createBenchDatabase(opts.postgresUrl, `orders_list_${orders}`);
  const pool = benchPool(db.url, 2);
  const ctx = await createContext(testConfig({ DATABASE_URL: db.url }));
  const close = async () => {
    await closeContext(ctx);
    await pool.end();
    await db.drop();
  };
  try {
    const t = Date.now();
    const customers = await generateCustomers(pool, Math.max(10, Math.round(orders / 4)));
    const products = await generateProducts(pool, 200);
    const made = await generateOrders(pool, { orders, customers, products });
    await pool.query("VACUUM ANALYZE");
    opts.log(`${orders} orders generated and analysed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const middle = await pool.query<{ created_at: Date; id: number }>(
      "SELECT created_at, id FROM orders ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1",
      [Math.floor(orders / 2)],
    );
    const m = middle.rows[0]!;
    const paths: Record<PageName, string> = {
      first: "/admin/orders",
      status: "/admin/orders?status=refunded",
      week: `/admin/orders?from=${day(Math.floor(GENERATED_DAYS / 2) + 6)}&to=${day(Math.floor(GENERATED_DAYS / 2))}`,
      customer: `/admin/orders?customer=${customers.first + 7}`,
      email: `/admin/orders?q=bench${customers.first + 12}`,
      amount: "/admin/orders?min=100&max=120",
      "order id": `/admin/orders?q=${made.orders.first + Math.floor(orders / 3)}`,
      deep: `/admin/orders?after=${m.created_at.toISOString()}_${m.id}`,
    };
    const { app } = createApp(ctx);
    const { cookie } = await benchReader(ctx, "ops");
    const get = async (page: PageName) => {
      const res = await app.request(paths[page], { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${paths[page]} → ${res.status}: ${body.slice(0, 200)}`);
    };
    for (const page of PAGES) for (let i = 0; i < 3; i++) await get(page);
    return {
      measure: async (page) => (await runConcurrent(REQUESTS, CONCURRENCY, () => get(page))).latencies,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const small = 10_000;
  const large = opts.quick ? 100_000 : 1_000_000;
  const shops: Shop[] = [];
  try {
    shops.push(await openShop(opts, small));
    shops.push(await openShop(opts, large));
    const [smallShop, largeShop] = shops as [Shop, Shop];
    const samples = new Map<PageName, { small: number[]; large: number[] }>(
      PAGES.map((p) => [p, { small: [], large: [] }]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const page of PAGES) {
        samples.get(page)!.small.push(...(await smallShop.measure(page)));
        samples.get(page)!.large.push(...(await largeShop.measure(page)));
      }
    }
    const rows = PAGES.map((page) => {
      const s = summarise(samples.get(page)!.small);
      const l = summarise(samples.get(page)!.large);
      return { page, small: s.p95, large: l.p95, ratio: l.p95 / s.p95 };
    });
    const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const slowest = Math.max(...rows.map((r) => r.large));
    return {
      name: "orders-list",
      description: `p95 of GET /admin/orders (${PAGES.length} filters) at ${large} orders vs ${small} orders (worst filter: ${worst.page})`,
      baseline: { label: `${worst.page} p95 @${small}`, value: worst.small, unit: "ms" },
      measured: { label: `${worst.page} p95 @${large}`, value: worst.large, unit: "ms" },
      ratio: worst.ratio,
      target: "worst p95 ratio ≤ 1.5",
      pass: worst.ratio <= 1.5,
      figures: [
        { label: `slowest p95 @${large}`, value: slowest, unit: "ms" },
        ...rows.flatMap((r) => [
          { label: `${r.page} p95 @${small}`, value: r.small, unit: "ms" },
          { label: `${r.page} p95 @${large}`, value: r.large, unit: "ms" },
        ]),
      ],
      size: { smallOrders: small, largeOrders: large, requests: REQUESTS * ROUNDS, concurrency: CONCURRENCY },
      quick: opts.quick,
    };
  } finally {
    for (const shop of shops) await shop.close();
  }
}
