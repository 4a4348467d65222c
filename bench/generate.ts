/**
 * Large, deterministic data sets for the benches, written with set-based SQL
 * (`INSERT … SELECT generate_series(…)`), not through the services: a million orders in seconds.
 *
 * Each generator is independent (call the ones a bench needs, in dependency order: customers and
 * products before orders; orders before charges/refunds; plans before subscriptions). Rows are a
 * pure function of the row number (no random()), so the same sizes always give the same data.
 * Ids are explicit (`OVERRIDING SYSTEM VALUE`) and the identity sequences are moved past them, so
 * rows created afterwards through the services get fresh ids.
 */

/** A pg Pool or Client (anything with `query`). */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** Day the generated history ends on (the benches read periods up to here). */
export const GENERATED_END = "2026-06-14T23:59:59Z";
/** Days of history the orders are spread over. */
export const GENERATED_DAYS = 365;

export interface Range {
  /** First id generated. */
  first: number;
  count: number;
}

async function nextId(sql: Sql, table: string): Promise<number> {
  const { rows } = await sql.query(`SELECT coalesce(max(id), 0)::int + 1 AS id FROM ${table}`);
  return Number(rows[0]!.id);
}

async function syncIdentity(sql: Sql, table: string): Promise<void> {
  await sql.query(
    `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM ${table}), false)`,
  );
}

const CATEGORIES = `(ARRAY['Coffee','Tea','Equipment','Books','Apparel','Gifts','Kitchen','Subscriptions'])`;
const COUNTRIES = `(ARRAY['US','GB','DE','FR','NL','SE','CA','AU'])`;

/** Customers `bench<n>@example.test`, created over the two years before GENERATED_END. */
export async function generateCustomers(sql: Sql, count: number): Promise<Range> {
  const first = await nextId(sql, "customers");
  await sql.query(
    `INSERT INTO customers (id, email, name, country, stripe_customer_id, livemode, created_at)
     OVERRIDING SYSTEM VALUE
     SELECT $1::int + g - 1, 'bench' || ($1::int + g - 1) || '@example.test', 'Bench Customer ' || g,
            ${COUNTRIES}[1 + g % 8], 'cus_bench' || ($1::int + g - 1), false,
            $3::timestamptz - make_interval(days => 730) + make_interval(secs => (g::bigint * 63072000 / $2::int))
     FROM generate_series(1, $2::int) g`,
    [first, count, GENERATED_END],
  );
  await syncIdentity(sql, "customers");
  return { first, count };
}

/** Products `BENCH-<n>` in 8 categories with plenty of stock; 1 in 10 has no known cost. */
export async function generateProducts(sql: Sql, count: number): Promise<Range> {
  const first = await nextId(sql, "products");
  await sql.query(
    `INSERT INTO products (id, sku, name, category, price_amount, currency, unit_cost_amount, stock_on_hand)
     OVERRIDING SYSTEM VALUE
     SELECT $1::int + g - 1, 'BENCH-' || ($1::int + g - 1), 'Bench product ' || g, ${CATEGORIES}[1 + g % 8],
            500 + (g * 3731) % 19500, 'usd',
            CASE WHEN g % 10 = 0 THEN NULL ELSE (500 + (g * 3731) % 19500) * 4 / 10 END, 1000000
     FROM generate_series(1, $2::int) g`,
    [first, count],
  );
  await syncIdentity(sql, "products");
  return { first, count };
}

/** The last order is created this long before GENERATED_END, so it is paid (2 minutes later) before it. */
const ORDER_TAIL_SECONDS = 600;

/**
 * Orders with 1–3 lines each (2 on average), spread evenly over GENERATED_DAYS (created and paid
 * within its 365 UTC days, the range the benches build: no paid order on a day they leave unbuilt). Status by order
 * number n mod 100: 0–3 pending, 4–6 canceled, 7–9 refunded (in full), 10–54 paid, 55–99 fulfilled;
 * every 50th fulfilled order (n mod 50 = 7 among them) is half refunded. Totals equal the lines' sum.
 */
export async function generateOrders(
  sql: Sql,
  options: { orders: number; customers: Range; products: Range },
): Promise<{ orders: Range; lines: number }> {
  const first = await nextId(sql, "orders");
  const lineFirst = await nextId(sql, "order_lines");
  const { orders: n, customers: c, products: p } = options;
  // Line k of order g: product and quantity are pure functions of (g, k); the temp table lets the
  // orders carry their exact totals without an UPDATE over a million rows.
  await sql.query("DROP TABLE IF EXISTS bench_lines");
  await sql.query(
    `CREATE TEMP TABLE bench_lines AS
     SELECT g, k, pr.id AS product_id, pr.sku, pr.name, 1 + (g + k) % 3 AS quantity,
            pr.price_amount, pr.unit_cost_amount
     FROM generate_series(1, $1::int) g
     CROSS JOIN LATERAL generate_series(1, 1 + g % 3) k
     JOIN products pr ON pr.id = $2::int + ((g * 31 + k * 17) % $3::int)`,
    [n, p.first, p.count],
  );
  await sql.query(
    `INSERT INTO orders (id, number, customer_id, status, currency, amount_subtotal, amount_total,
                         amount_refunded, livemode, stripe_payment_intent_id, created_at, paid_at,
                         fulfilled_at, canceled_at, refunded_at, stock_released_at, updated_at)
     OVERRIDING SYSTEM VALUE
     SELECT $1::int + t.g - 1, 'B-' || lpad(($1::int + t.g - 1)::text, 8, '0'),
            $2::int + ((t.g::bigint * 7919) % $3::int), s.status, 'usd', t.total, t.total,
            CASE WHEN s.status = 'refunded' THEN t.total
                 WHEN s.status = 'fulfilled' AND t.g % 50 = 7 THEN t.total / 2 ELSE 0 END,
            false, 'pi_bench' || ($1::int + t.g - 1), t.created,
            CASE WHEN s.status IN ('paid','fulfilled','refunded') THEN t.created + interval '2 minutes' END,
            CASE WHEN s.status = 'fulfilled' THEN t.created + interval '1 day' END,
            CASE WHEN s.status = 'canceled' THEN t.created + interval '1 hour' END,
            CASE WHEN s.status = 'refunded' THEN t.created + interval '3 days' END,
            CASE WHEN s.status = 'canceled' THEN t.created + interval '1 hour' END,
            t.created + interval '3 days'
     FROM (SELECT g, sum(quantity * price_amount)::int AS total,
                  $4::timestamptz - make_interval(days => ${GENERATED_DAYS})
                    + make_interval(secs => 1 + (g::bigint * (${GENERATED_DAYS} * 86400 - ${ORDER_TAIL_SECONDS}) / $5::int)) AS created
           FROM bench_lines GROUP BY g) t
     CROSS JOIN LATERAL (SELECT CASE WHEN t.g % 100 < 4 THEN 'pending' WHEN t.g % 100 < 7 THEN 'canceled'
                                     WHEN t.g % 100 < 10 THEN 'refunded' WHEN t.g % 100 < 55 THEN 'paid'
                                     ELSE 'fulfilled' END AS status) s
     -- In time order, as a shop writes them: a day's orders lie together, not spread over the table.
     ORDER BY t.g`,
    [first, c.first, c.count, GENERATED_END, n],
  );
  const { rows } = await sql.query(
    `WITH ins AS (
       INSERT INTO order_lines (id, order_id, product_id, sku, name, quantity, unit_price_amount,
                                unit_cost_amount, amount_total)
       OVERRIDING SYSTEM VALUE
       SELECT $1::int + row_number() OVER (ORDER BY g, k) - 1, $2::int + g - 1, product_id, sku, name,
              quantity, price_amount, unit_cost_amount, quantity * price_amount
       FROM bench_lines RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [lineFirst, first],
  );
  await sql.query("DROP TABLE bench_lines");
  await syncIdentity(sql, "orders");
  await syncIdentity(sql, "order_lines");
  return { orders: { first, count: n }, lines: Number(rows[0]!.n) };
}

/**
 * The Stripe ledger of generated orders: one succeeded charge per paid, fulfilled or refunded order
 * (fee 2.9% + 30), and one refund per refunded or partly refunded order.
 */
export async function generateCharges(
  sql: Sql,
  orders: Range,
): Promise<{ charges: number; refunds: number }> {
  const last = orders.first + orders.count - 1;
  const charges = await sql.query(
    `WITH ins AS (
       INSERT INTO charges (id, amount, amount_refunded, currency, status, paid, created, livemode,
                            stripe_customer_id, payment_intent_id, order_id, fee, source_event_created)
       SELECT 'ch_bench' || o.id, o.amount_total, o.amount_refunded, o.currency, 'succeeded', true, o.paid_at,
              false, 'cus_bench' || o.customer_id, o.stripe_payment_intent_id, o.id,
              round(o.amount_total * 0.029)::int + 30, o.paid_at
       FROM orders o WHERE o.id BETWEEN $1 AND $2 AND o.paid_at IS NOT NULL ORDER BY o.paid_at RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [orders.first, last],
  );
  const refunds = await sql.query(
    `WITH ins AS (
       INSERT INTO refunds (id, charge_id, payment_intent_id, order_id, amount, currency, status, reason,
                            created, livemode, source_event_created)
       SELECT 're_bench' || o.id, 'ch_bench' || o.id, o.stripe_payment_intent_id, o.id, o.amount_refunded,
              o.currency, 'succeeded', 'requested_by_customer', coalesce(o.refunded_at, o.paid_at + interval '4 days'),
              false, coalesce(o.refunded_at, o.paid_at + interval '4 days')
       FROM orders o WHERE o.id BETWEEN $1 AND $2 AND o.amount_refunded > 0
       ORDER BY coalesce(o.refunded_at, o.paid_at + interval '4 days') RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [orders.first, last],
  );
  return { charges: Number(charges.rows[0]!.n), refunds: Number(refunds.rows[0]!.n) };
}

/**
 * Subscriptions on 4 monthly/yearly plans for the first `count` generated customers, with history:
 * every subscription starts active; 1 in 4 upgrades (quantity 2) 90 days later; 1 in 6 cancels
 * 200 days after its start. `subscriptions` holds the newest state, `subscription_history` each one.
 */
export async function generateSubscriptions(
  sql: Sql,
  options: { count: number; customers: Range },
): Promise<{ subscriptions: number; history: number }> {
  await sql.query(
    `INSERT INTO plans (id, product_name, nickname, currency, unit_amount, interval, interval_count)
     VALUES ('price_bench_basic', 'Bench plan', 'Basic', 'usd', 900, 'month', 1),
            ('price_bench_pro', 'Bench plan', 'Pro', 'usd', 2900, 'month', 1),
            ('price_bench_team', 'Bench plan', 'Team', 'usd', 9900, 'month', 3),
            ('price_bench_year', 'Bench plan', 'Yearly', 'usd', 29900, 'year', 1)
     ON CONFLICT (id) DO NOTHING`,
  );
  // mrr per unit: 900, 2900, 9900/3 = 3300, 29900/12 = 2491.67 → stored per state, rounded once.
  const states = `
    SELECT g, s.id AS sub, $2::int + ((g - 1) % $3::int) AS customer_id, p.*, st.*
    FROM generate_series(1, $1::int) g
    CROSS JOIN LATERAL (SELECT 'sub_bench' || g AS id,
           $4::timestamptz - make_interval(days => 700) + make_interval(secs => (g::bigint * 500 * 86400 / $1::int)) AS start) s
    CROSS JOIN LATERAL (SELECT (ARRAY['price_bench_basic','price_bench_pro','price_bench_team','price_bench_year'])[1 + g % 4] AS price_id,
           (ARRAY[900, 2900, 9900, 29900])[1 + g % 4] AS unit_amount,
           (ARRAY['month','month','month','year'])[1 + g % 4] AS interval,
           (ARRAY[1, 1, 3, 1])[1 + g % 4] AS interval_count,
           (ARRAY[900.0, 2900.0, 3300.0, 29900.0 / 12])[1 + g % 4] AS unit_mrr) p
    CROSS JOIN LATERAL (VALUES (1, 'active', s.start, 1),
                               (2, CASE WHEN g % 4 = 0 THEN 'active' END, s.start + interval '90 days', 2),
                               (3, CASE WHEN g % 6 = 0 THEN 'canceled' END, s.start + interval '200 days',
                                   CASE WHEN g % 4 = 0 THEN 2 ELSE 1 END)) st(step, status, at, quantity)
    WHERE st.status IS NOT NULL`;
  const history = await sql.query(
    `WITH ins AS (
       INSERT INTO subscription_history (subscription_id, event_id, event_created, received_seq,
              stripe_customer_id, customer_id, status, currency, items, current_period_start, canceled_at,
              ended_at, livemode, mrr)
       SELECT sub, 'evt_bench_' || sub || '_' || step, at, 0, 'cus_bench' || customer_id, customer_id, status,
              'usd', jsonb_build_array(jsonb_build_object('id', 'si_' || sub, 'priceId', price_id,
                'unitAmount', unit_amount, 'interval', interval, 'intervalCount', interval_count,
                'quantity', quantity)),
              at, CASE WHEN status = 'canceled' THEN at END, CASE WHEN status = 'canceled' THEN at END, false,
              CASE WHEN status = 'canceled' THEN 0 ELSE round(unit_mrr * quantity)::int END
       FROM (${states}) x RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [options.count, options.customers.first, options.customers.count, GENERATED_END],
  );
  const subs = await sql.query(
    `WITH ins AS (
       INSERT INTO subscriptions (id, stripe_customer_id, customer_id, status, currency, items,
              current_period_start, canceled_at, ended_at, created, livemode, mrr, source_event_created)
       SELECT DISTINCT ON (h.subscription_id) h.subscription_id, h.stripe_customer_id, h.customer_id, h.status,
              h.currency, h.items, h.current_period_start, h.canceled_at, h.ended_at,
              first_value(h.event_created) OVER (PARTITION BY h.subscription_id ORDER BY h.event_created),
              false, h.mrr, h.event_created
       FROM subscription_history h WHERE h.event_id LIKE 'evt_bench_%'
       ORDER BY h.subscription_id, h.event_created DESC
       ON CONFLICT (id) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
  );
  return { subscriptions: Number(subs.rows[0]!.n), history: Number(history.rows[0]!.n) };
}

export interface DatasetSize {
  orders: number;
  customers?: number;
  products?: number;
  subscriptions?: number;
}

/** Everything a dashboard or export bench reads, for `orders` orders (~2 lines each). */
export async function generateDataset(sql: Sql, size: DatasetSize) {
  const customers = await generateCustomers(sql, size.customers ?? Math.max(10, Math.round(size.orders / 4)));
  const products = await generateProducts(sql, size.products ?? 200);
  const { orders, lines } = await generateOrders(sql, { orders: size.orders, customers, products });
  const ledger = await generateCharges(sql, orders);
  const subs = await generateSubscriptions(sql, {
    count: size.subscriptions ?? Math.max(4, Math.round(size.orders / 50)),
    customers,
  });
  await sql.query("ANALYZE");
  return { customers, products, orders, lines, ...ledger, ...subs };
}
