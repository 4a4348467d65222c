import { sql } from "drizzle-orm";
import { keyset } from "./keyset.ts";
import { fixed, type PackFile } from "./pack.ts";
import { asDate, asNumber, asText, decimal } from "./values.ts";

type Row = Record<string, unknown>;

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** ISO 8601 week number of a calendar day (weeks start Monday; week 1 holds the first Thursday). */
function isoWeek(date: Date): number {
  const thursday = new Date(date);
  thursday.setUTCDate(date.getUTCDate() + 3 - ((date.getUTCDay() + 6) % 7));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7) + 1;
}

/** Grain: one reporting day of the period (calendar attributes of the day itself, no time zone). */
export const dimDateFile: PackFile = {
  name: "dim_date.csv",
  columns: fixed([
    "date_key",
    "year",
    "quarter",
    "month",
    "month_name",
    "month_key",
    "day_of_month",
    "day_of_week",
    "day_name",
    "iso_week",
    "is_weekend",
  ]),
  async *rows(scope) {
    for (const day of scope.days.days) {
      const date = new Date(`${day}T00:00:00Z`);
      const month = date.getUTCMonth() + 1;
      const weekday = (date.getUTCDay() + 6) % 7; // 0 = Monday
      yield {
        date_key: day,
        year: date.getUTCFullYear(),
        quarter: Math.ceil(month / 3),
        month,
        month_name: MONTHS[month - 1]!,
        month_key: day.slice(0, 7),
        day_of_month: date.getUTCDate(),
        day_of_week: weekday + 1,
        day_name: WEEKDAYS[weekday]!,
        iso_week: isoWeek(date),
        is_weekend: weekday >= 5,
      };
    }
  },
};

/** Grain: one customer (all of them, so every fact key resolves). Email and name only in a PII export. */
export const dimCustomerFile: PackFile = {
  name: "dim_customer.csv",
  columns: (scope) => [
    "customer_key",
    "country",
    "created_day",
    "first_paid_day",
    "paid_orders",
    "is_anonymized",
    ...(scope.pii ? ["email", "name"] : []),
  ],
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT c.id, c.country, c.created_at, c.anonymized_at, p.first_paid_at, p.paid_orders
          ${scope.pii ? sql`, c.email, c.name` : sql``}
        FROM customers c
        LEFT JOIN LATERAL (
          SELECT min(paid_at) AS first_paid_at, count(*)::int AS paid_orders
          FROM orders WHERE customer_id = c.id AND paid_at IS NOT NULL AND livemode = ${scope.livemode}
        ) p ON true
        WHERE c.id > ${last ? Number(last.id) : 0}
        ORDER BY c.id LIMIT ${scope.pageSize}`,
    );
    for await (const c of rows) {
      const firstPaid = asDate(c.first_paid_at);
      yield {
        customer_key: scope.customerKey(asNumber(c.id)),
        country: asText(c.country),
        created_day: scope.days.dayOf(asDate(c.created_at)!),
        first_paid_day: firstPaid ? scope.days.dayOf(firstPaid) : null,
        paid_orders: asNumber(c.paid_orders) ?? 0,
        is_anonymized: c.anonymized_at !== null,
        ...(scope.pii ? { email: asText(c.email), name: asText(c.name) } : {}),
      };
    }
  },
};

/** Grain: one product (all of them, active or not). */
export const dimProductFile: PackFile = {
  name: "dim_product.csv",
  columns: fixed([
    "product_key",
    "sku",
    "name",
    "category",
    "currency",
    "price_amount",
    "price_decimal",
    "unit_cost_amount",
    "unit_cost_decimal",
    "margin_ready",
    "active",
    "allow_preorder",
    "preorder_ship_date",
  ]),
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT id, sku, name, category, currency, price_amount, unit_cost_amount, active, allow_preorder,
          preorder_ship_date::text AS preorder_ship_date
        FROM products WHERE id > ${last ? Number(last.id) : 0}
        ORDER BY id LIMIT ${scope.pageSize}`,
    );
    for await (const p of rows) {
      const currency = String(p.currency);
      const cost = asNumber(p.unit_cost_amount);
      yield {
        product_key: asNumber(p.id),
        sku: asText(p.sku),
        name: asText(p.name),
        category: asText(p.category),
        currency,
        price_amount: asNumber(p.price_amount),
        price_decimal: decimal(asNumber(p.price_amount), currency),
        unit_cost_amount: cost,
        unit_cost_decimal: decimal(cost, currency),
        margin_ready: cost !== null,
        active: Boolean(p.active),
        allow_preorder: Boolean(p.allow_preorder),
        preorder_ship_date: asText(p.preorder_ship_date),
      };
    }
  },
};
