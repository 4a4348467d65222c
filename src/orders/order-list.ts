import { and, asc, count, desc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { startsWith } from "../db/prefix.ts";
import { customers } from "../db/schema.ts";
import { currenciesWithExponent } from "../shared/currencies.ts";
import type { Order } from "./model.ts";
import { type OrderStatus, orders } from "./schema.ts";

const ZERO_DECIMAL = currenciesWithExponent(0);
const TWO_DECIMAL = currenciesWithExponent(2);
const THREE_DECIMAL = currenciesWithExponent(3);

/** The most matches the list counts exactly; past it the page says "more than 1,000" (a count costs what it reads). */
export const COUNT_CAP = 1_000;

/** A position in the newest-first list: the order a page starts after (or before, going back). */
export interface OrderCursor {
  createdAt: Date;
  id: number;
}

/**
 * The ops order list's filters, as the web route validated them. Amounts are thousandths of a
 * currency unit (12.50 → 12500), so one bound applies to orders of every currency at its exponent.
 */
export interface OrderListFilter {
  status?: OrderStatus;
  createdFrom?: Date;
  createdBefore?: Date;
  /** A customer id (digits) or the start of a customer's e-mail or name. */
  customer?: string;
  currency?: string;
  minThousandths?: number;
  maxThousandths?: number;
  /** Order number, order id, payment intent id, or the start of a customer's e-mail or name. */
  q?: string;
  /**
   * Whether `q` and `customer` may match customers' e-mails and names (the viewer may see them,
   * `customers.pii`); without it such a term matches nothing, so a search cannot reveal who bought.
   */
  matchPersonalData?: boolean;
  after?: OrderCursor;
  before?: OrderCursor;
  limit: number;
}

export interface OrderListRow extends Order {
  /** The customer row (null when it is missing), for the caller to show as the viewer may see it. */
  customer: typeof customers.$inferSelect | null;
}

export interface OrderListPage {
  rows: OrderListRow[];
  /** Matches, up to COUNT_CAP + 1 (more means "more than COUNT_CAP"). */
  matches: number;
  /** Cursors for the next (older) and previous (newer) page, when there is one. */
  older: OrderCursor | null;
  newer: OrderCursor | null;
}

/**
 * Newest first, keyset-paginated on (created_at, id), so page 1,000 costs what page 1 does. Each
 * filter is served by an index (orders/schema.ts: status or customer then created_at; amount;
 * number and payment intent unique; customers' `lower(e-mail|name)` prefix indexes). The count stops
 * at COUNT_CAP + 1 rows. Read from `ctx.readDb` (the replica when one is set).
 */
export async function listOrdersForOps(ctx: ServiceContext, filter: OrderListFilter): Promise<OrderListPage> {
  const db = ctx.readDb;
  const cond = and(...conditions(filter));
  const backwards = filter.before !== undefined && filter.after === undefined;
  const position = filter.after
    ? sql`(${orders.createdAt}, ${orders.id}) < (${filter.after.createdAt.toISOString()}::timestamptz, ${filter.after.id})`
    : filter.before
      ? sql`(${orders.createdAt}, ${orders.id}) > (${filter.before.createdAt.toISOString()}::timestamptz, ${filter.before.id})`
      : undefined;
  const fetched = await db
    .select({ order: orders, customer: customers })
    .from(orders)
    .leftJoin(customers, eq(customers.id, orders.customerId))
    .where(and(cond, position))
    .orderBy(
      ...(backwards ? [asc(orders.createdAt), asc(orders.id)] : [desc(orders.createdAt), desc(orders.id)]),
    )
    .limit(filter.limit + 1);
  const more = fetched.length > filter.limit;
  const page = fetched.slice(0, filter.limit);
  if (backwards) page.reverse();
  const rows = page.map((r) => ({ ...r.order, customer: r.customer }));
  const capped = db
    .select({ one: sql`1` })
    .from(orders)
    .where(cond)
    .limit(COUNT_CAP + 1)
    .as("capped");
  const [total] = await db.select({ n: count() }).from(capped);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const cursor = (o: OrderListRow | undefined) => (o ? { createdAt: o.createdAt, id: o.id } : null);
  return {
    rows,
    matches: total?.n ?? 0,
    // Going back, everything after the page is older; going forward, a page was skipped to get here.
    older: backwards || more ? cursor(last) : null,
    newer: (backwards ? more : filter.after !== undefined) ? cursor(first) : null,
  };
}

function conditions(f: OrderListFilter): Array<SQL | undefined> {
  return [
    f.status ? eq(orders.status, f.status) : undefined,
    f.createdFrom ? gte(orders.createdAt, f.createdFrom) : undefined,
    f.createdBefore ? lt(orders.createdAt, f.createdBefore) : undefined,
    f.customer ? ofCustomer(f.customer, f.matchPersonalData ?? false) : undefined,
    f.currency ? eq(orders.currency, f.currency) : undefined,
    amountRange(f.minThousandths, f.maxThousandths),
    f.q ? search(f.q, f.matchPersonalData ?? false) : undefined,
  ];
}

/**
 * Amount bounds in thousandths of a unit, each order at its own currency's exponent (0, 2 or 3):
 * one branch per exponent naming its currencies (orders carry only Stripe's currencies, checked when
 * the product is saved), each a range per currency in `orders_currency_amount_idx`, so a range few
 * orders fall in is read through that index and a common one by walking the newest orders.
 */
function amountRange(min: number | undefined, max: number | undefined): SQL | undefined {
  if (min === undefined && max === undefined) return undefined;
  const list = (codes: string[]) =>
    sql.join(
      codes.map((c) => sql`${c}`),
      sql`, `,
    );
  const branch = (exponent: number, currency: SQL) => {
    const scale = (v: number, round: "ceil" | "floor") => Math[round]((v * 10 ** exponent) / 1000);
    return and(
      currency,
      min === undefined ? undefined : gte(orders.amountTotal, scale(min, "ceil")),
      max === undefined ? undefined : lte(orders.amountTotal, scale(max, "floor")),
    );
  };
  return or(
    branch(0, sql`${orders.currency} IN (${list(ZERO_DECIMAL)})`),
    branch(3, sql`${orders.currency} IN (${list(THREE_DECIMAL)})`),
    branch(2, sql`${orders.currency} IN (${list(TWO_DECIMAL)})`),
  );
}

function search(q: string, personal: boolean): SQL | undefined {
  const term = q.trim();
  if (/^RI-[A-Z0-9]{1,20}$/i.test(term)) return eq(orders.number, term.toUpperCase());
  if (/^\d{1,9}$/.test(term)) return eq(orders.id, Number(term));
  if (/^pi_\w+$/.test(term)) return eq(orders.stripePaymentIntentId, term);
  return personal ? customerStartsWith(term) : sql`false`;
}

function ofCustomer(text: string, personal: boolean): SQL {
  const term = text.trim();
  if (/^\d{1,9}$/.test(term)) return eq(orders.customerId, Number(term));
  return personal ? customerStartsWith(term) : sql`false`;
}

/** Orders of the customers whose e-mail or name starts with `term` (their prefix indexes). */
function customerStartsWith(term: string): SQL {
  const needle = term.toLowerCase();
  const matching = or(
    startsWith(sql`lower(${customers.email})`, needle),
    startsWith(sql`lower(${customers.name})`, needle),
  );
  return inArray(orders.customerId, sql`(SELECT ${customers.id} FROM ${customers} WHERE ${matching})`);
}
