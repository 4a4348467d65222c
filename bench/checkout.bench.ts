/**
 * Checkout under contention, on Postgres through the checkout service (`createOrderFromCart`, the
 * path the /checkout route calls) with the app's pool size: 200 buyers at once for a product with
 * 10 in stock must give exactly 10 orders. Then checkout latency without contention (each buyer a
 * different product), against a baseline of a bare order + line insert in one transaction.
 * Target: exactly 10 orders, checkout p99 < 100 ms.
 */
import { cliActor } from "../src/audit/index.ts";
import { testConfig } from "../src/config/env.ts";
import { closeContext, createContext } from "../src/context.ts";
import { createOrderFromCart } from "../src/orders/index.ts";
import { generateCustomers, generateProducts } from "./generate.ts";
import { benchPool, createBenchDatabase } from "./lib/database.ts";
import { runConcurrent, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const BUYERS = 200;
const STOCK = 10;
const POOL_SIZE = 10;

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const calm = opts.quick ? 200 : 1_000;
  const concurrency = 4;
  const db = await createBenchDatabase(opts.postgresUrl, "checkout");
  const pool = benchPool(db.url, POOL_SIZE);
  const ctx = await createContext(testConfig({ DATABASE_URL: db.url }));
  try {
    const customers = await generateCustomers(pool, Math.max(BUYERS, calm));
    const products = await generateProducts(pool, calm + 1);
    const hot = products.first + calm;
    await pool.query("UPDATE products SET stock_on_hand = $1 WHERE id = $2", [STOCK, hot]);

    // 1. Contention: everyone wants the last 10.
    const outcomes = new Map<string, number>();
    const rush = await runConcurrent(BUYERS, BUYERS, async (i) => {
      try {
        await createOrderFromCart(
          ctx,
          { customerId: customers.first + i, items: [{ productId: hot, quantity: 1 }] },
          cliActor,
        );
        outcomes.set("ordered", (outcomes.get("ordered") ?? 0) + 1);
      } catch (err) {
        const code = (err as { code?: string }).code ?? "error";
        outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
      }
    });
    const { rows } = await pool.query(
      "SELECT (SELECT count(*)::int FROM order_lines WHERE product_id = $1) AS orders, stock_on_hand FROM products WHERE id = $1",
      [hot],
    );
    const orders = Number(rows[0]!.orders);
    opts.log(
      `contention: ${JSON.stringify(Object.fromEntries(outcomes))}, stock left ${rows[0]!.stock_on_hand}`,
    );

    // 2. Baseline: a bare order + line insert per buyer, same pool, same concurrency.
    const baseline = await runConcurrent(calm, concurrency, async (i) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const o = await client.query(
          `INSERT INTO orders (number, customer_id, status, currency, amount_subtotal, amount_total, created_at, updated_at)
           VALUES ($1, $2, 'pending', 'usd', 1000, 1000, now(), now()) RETURNING id`,
          [`BASE-${i}`, customers.first + i],
        );
        await client.query(
          `INSERT INTO order_lines (order_id, product_id, sku, name, quantity, unit_price_amount, amount_total)
           VALUES ($1, $2, 'x', 'x', 1, 1000, 1000)`,
          [o.rows[0]!.id, products.first + i],
        );
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    });

    // 3. Checkout without contention.
    const measured = await runConcurrent(calm, concurrency, async (i) => {
      await createOrderFromCart(
        ctx,
        { customerId: customers.first + i, items: [{ productId: products.first + i, quantity: 1 }] },
        cliActor,
      );
    });
    const lat = summarise(measured.latencies);
    const base = summarise(baseline.latencies);
    const rushLat = summarise(rush.latencies);
    return {
      name: "checkout",
      description: "checkout p99 without contention vs a bare order+line insert; 200 buyers for 10 items",
      baseline: { label: "bare insert p99", value: base.p99, unit: "ms" },
      measured: { label: "checkout p99", value: lat.p99, unit: "ms" },
      ratio: lat.p99 / base.p99,
      target: `exactly ${STOCK} orders from ${BUYERS} buyers; checkout p99 < 100 ms`,
      pass: orders === STOCK && lat.p99 < 100,
      figures: [
        { label: "orders for the hot product", value: orders, unit: "orders" },
        {
          label: "buyers refused (out of stock)",
          value: outcomes.get("stock.insufficient") ?? 0,
          unit: "buyers",
        },
        { label: "contention p99", value: rushLat.p99, unit: "ms" },
        { label: "checkout p50", value: lat.p50, unit: "ms" },
        { label: "checkout p95", value: lat.p95, unit: "ms" },
        { label: "checkout throughput", value: (calm / measured.wallMs) * 1000, unit: "orders/s" },
      ],
      size: { buyers: BUYERS, stock: STOCK, checkouts: calm, concurrency, poolSize: POOL_SIZE },
      quick: opts.quick,
    };
  } finally {
    await closeContext(ctx);
    await pool.end();
    await db.drop();
  }
}
