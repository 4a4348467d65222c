import { sql } from "drizzle-orm";
import { customers, orders, products } from "../db/schema.ts";
import { bool, col, day, int, money, text } from "./columns.ts";
import { keyset } from "./keyset.ts";
import { type Column, packFile } from "./pack.ts";
import { asNumber } from "./values.ts";

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
interface DateRow {
  day: string;
  date: Date;
  month: number;
  /** 0 = Monday. */
  weekday: number;
}

export const dimDateFile = packFile<DateRow>({
  name: "dim_date.csv",
  columns: [
    text("date_key", (d) => d.day),
    col("year", (d) => d.date.getUTCFullYear()),
    col("quarter", (d) => Math.ceil(d.month / 3)),
    col("month", (d) => d.month),
    col("month_name", (d) => MONTHS[d.month - 1]!),
    col("month_key", (d) => d.day.slice(0, 7)),
    col("day_of_month", (d) => d.date.getUTCDate()),
    col("day_of_week", (d) => d.weekday + 1),
    col("day_name", (d) => WEEKDAYS[d.weekday]!),
    col("iso_week", (d) => isoWeek(d.date)),
    col("is_weekend", (d) => d.weekday >= 5),
  ],
  async *rows(scope) {
    for (const day of scope.days.days) {
      const date = new Date(`${day}T00:00:00Z`);
      yield { day, date, month: date.getUTCMonth() + 1, weekday: (date.getUTCDay() + 6) % 7 };
    }
  },
});

/** E-mail and name: only in an export that asked for PII (`exports.pii`). */
const PII_COLUMNS: readonly Column<Row>[] = [text("email", (c) => c.email), text("name", (c) => c.name)];

/** Grain: one customer (all of them, so every fact key resolves). Email and name only in a PII export. */
export const dimCustomerFile = packFile<Row>({
  name: "dim_customer.csv",
  columns: (scope) => [
    col("customer_key", (c) => scope.customerKey(asNumber(c.id))),
    text("country", (c) => c.country),
    day(scope, "created_day", (c) => c.created_at),
    day(scope, "first_paid_day", (c) => c.first_paid_at),
    col("paid_orders", (c) => asNumber(c.paid_orders) ?? 0),
    col("is_anonymized", (c) => c.anonymized_at !== null),
    scope.pii ? PII_COLUMNS : [],
  ],
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT ${customers.id}, ${customers.country}, ${customers.createdAt}, ${customers.anonymizedAt},
          p.first_paid_at, p.paid_orders ${scope.pii ? sql`, ${customers.email}, ${customers.name}` : sql``}
        FROM ${customers}
        LEFT JOIN LATERAL (
          SELECT min(${orders.paidAt}) AS first_paid_at, count(*)::int AS paid_orders FROM ${orders}
          WHERE ${orders.customerId} = ${customers.id} AND ${orders.paidAt} IS NOT NULL
            AND ${orders.livemode} = ${scope.livemode}
        ) p ON true
        WHERE ${customers.id} > ${last ? Number(last.id) : 0}
        ORDER BY ${customers.id} LIMIT ${scope.pageSize}`,
    ),
});

/** Grain: one product (all of them, active or not). */
export const dimProductFile = packFile<Row>({
  name: "dim_product.csv",
  columns: [
    int("product_key", (p) => p.id),
    text("sku", (p) => p.sku),
    text("name", (p) => p.name),
    text("category", (p) => p.category),
    text("currency", (p) => p.currency),
    money("price_amount", (p) => p.price_amount),
    money("unit_cost_amount", (p) => p.unit_cost_amount),
    col("margin_ready", (p) => asNumber(p.unit_cost_amount) !== null),
    bool("active", (p) => p.active),
    bool("allow_preorder", (p) => p.allow_preorder),
    text("preorder_ship_date", (p) => p.preorder_ship_date),
  ],
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT ${products.id}, ${products.sku}, ${products.name}, ${products.category}, ${products.currency},
          ${products.priceAmount}, ${products.unitCostAmount}, ${products.active}, ${products.allowPreorder},
          ${products.preorderShipDate}::text AS preorder_ship_date
        FROM ${products} WHERE ${products.id} > ${last ? Number(last.id) : 0}
        ORDER BY ${products.id} LIMIT ${scope.pageSize}`,
    ),
});
