import { type SQL, sql } from "drizzle-orm";
import { getProduct } from "../../catalog/index.ts";
import type { ServiceContext } from "../../context.ts";
import { customers, subscriptionHistory, subscriptions } from "../../db/schema.ts";
import { queryOne, queryRows } from "../../db/sql.ts";
import { ValidationError } from "../../shared/errors.ts";
import { assembleKpis, type LedgerTotals, type OrderTotals } from "../assemble.ts";
import { addDays, startOfDay } from "../core/periods.ts";
import { rate, roundedMean } from "../core/rates.ts";
import type { MrrPeriod } from "../mrr/period.ts";
import { resolveParams } from "../params.ts";
import { getCohortRetention } from "../queries/cohorts.ts";
import { snapshotLedger, snapshotOrders } from "../queries/kpis.ts";
import { getMrrByPlan } from "../queries/mrr-by-plan.ts";
import { movementsBetween, mrrAtEndOf, retentionBetween } from "../queries/mrr-from-snapshots.ts";
import { getProductRollups } from "../queries/products.ts";
import { getSubscriberCohorts } from "../queries/subscriber-cohorts.ts";
import type { KpiParams } from "../types.ts";
import {
  type Combine,
  figureOf,
  isPlanKpi,
  isProductKpi,
  isStockKpi,
  isSubscriberCohortKpi,
  productFigure,
  RECORD_KPIS,
  type RecordKpi,
  type RecordKpiSpec,
  stockFigure,
} from "./kpis.ts";
import { type RecordTotals, snapshotTotals } from "./snapshot-totals.ts";
import { monthStart, type RecordWindow, type Source, subscriberCellEnd } from "./sources.ts";

export const RECORD_SORTS = ["date", "value", "key"] as const;
export type RecordSort = (typeof RECORD_SORTS)[number];
export const MAX_RECORD_PAGE = 500;

export interface RecordParams extends KpiParams {
  kpi: RecordKpi;
  /** The product of the product and stock figures (`product_units`…, `stock_on_hand`…). */
  product?: number;
  /** The refund reason of `refunds_by_reason` (`none`: no reason given). */
  reason?: string;
  /** The order cohort ("YYYY-MM") and month after it of `cohort_retention`. */
  cohort?: string;
  month?: number;
  /** The plan (Stripe price id) of `plan_mrr` and `plan_mrr_start`. */
  plan?: string;
  /** Opaque keyset cursor from a previous page's `next_cursor`. */
  cursor?: string;
  limit?: number;
  /** Default: by date for flows, by customer for stocks. */
  sort?: RecordSort;
  dir?: "asc" | "desc";
  /** Add the totals of every row (a read of the whole period); default true. */
  totals?: boolean;
  /**
   * Where the totals come from: the daily snapshots when they count this figure's rows one to one
   * and no day waits for a rebuild (default), or always the rows themselves (`rows`).
   */
  totalsFrom?: "snapshots" | "rows";
}

/** One record behind a figure (the API's JSON row and the CSV's columns). */
export interface RecordRow {
  key: string;
  /** Instant (ISO 8601) or day ("YYYY-MM-DD") the record counts on. */
  at: string;
  object: string;
  object_id: string;
  customer_id: number | null;
  stripe_customer_id: string | null;
  status: string | null;
  amount: number | null;
  mrr_before: number | null;
  mrr_after: number | null;
  movement: string | null;
  /** The Stripe event that set the customer's MRR that day (MRR rows), and its subscription. */
  event_id: string | null;
  subscription_id: string | null;
  /** The Stripe object to open: a charge, refund, dispute or payment intent (ledger and order rows). */
  stripe_id: string | null;
  /** What this row adds to the figure (the numerator of a mean or rate). */
  value: number;
  /** What it adds to the denominator of a mean or rate; null for sums. */
  denominator: number | null;
}

export type { RecordTotals };

export interface RecordPage {
  kpi: RecordKpi;
  product: number | null;
  /** The product's name, for the page's heading (null: no product, or none with that id). */
  product_name: string | null;
  reason: string | null;
  cohort: { month: string; index: number } | null;
  plan: string | null;
  from: string;
  to: string;
  timezone: string;
  currency: string;
  livemode: boolean;
  combine: Combine;
  /** The figure computeKpis gives for the same period and currency. */
  figure: number | null;
  /** Null when not asked for (`totals: false`). */
  totals: RecordTotals | null;
  sort: RecordSort;
  dir: "asc" | "desc";
  rows: RecordRow[];
  next_cursor: string | null;
}

interface DbRow extends Omit<RecordRow, "at" | "event_id" | "subscription_id" | "value" | "denominator"> {
  at_text: string;
  sort_text: string;
  value: number | string;
  denominator: number | string | null;
  amount: number | null;
  [k: string]: unknown;
}

/** The records behind one figure, a keyset page of them, their totals and the figure itself. */
export async function listRecords(ctx: ServiceContext, params: RecordParams): Promise<RecordPage> {
  const p = await resolveParams(ctx, params, "snapshots");
  const spec: RecordKpiSpec = RECORD_KPIS[params.kpi];
  const w: RecordWindow = {
    ...p,
    product: checkProduct(params),
    reason: checkReason(params),
    cohort: checkCohort(params),
    ...planWindow(params, p),
  };
  const source = spec.source(w);
  const sort = params.sort ?? source.defaultSort;
  const dir = params.dir ?? "asc";
  const limit = Math.min(Math.max(params.limit ?? 50, 1), MAX_RECORD_PAGE);
  const [figure, totals, page, product] = await Promise.all([
    figureFor(ctx, { ...params, currency: p.currency }, source),
    params.totals === false
      ? null
      : (params.totalsFrom !== "rows" && p.timezone === ctx.config.reportingTimezone
          ? snapshotTotals(ctx.readDb, params.kpi, p)
          : Promise.resolve(null)
        ).then((fast) => fast ?? recordTotals(ctx, source, spec)),
    recordPage(ctx, source, { sort, dir, limit, cursor: params.cursor }),
    w.product === undefined ? undefined : getProduct({ db: ctx.readDb }, w.product),
  ]);
  const rows = await withEvents(ctx, page.rows, p.timezone, p.livemode);
  return {
    kpi: params.kpi,
    product: w.product ?? null,
    product_name: product?.name ?? null,
    reason: w.reason ?? null,
    cohort: w.cohort ?? null,
    plan: w.plan ?? null,
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    currency: p.currency,
    livemode: p.livemode,
    combine: spec.combine,
    figure,
    totals,
    sort,
    dir,
    rows,
    next_cursor: page.next,
  };
}

/** Every record of one figure in order, page by page (CSV download): constant memory. */
export async function* iterateRecords(
  ctx: ServiceContext,
  params: Omit<RecordParams, "cursor" | "limit">,
): AsyncGenerator<RecordRow> {
  const p = await resolveParams(ctx, params, "snapshots");
  const source = RECORD_KPIS[params.kpi].source({
    ...p,
    product: checkProduct(params),
    reason: checkReason(params),
    cohort: checkCohort(params),
    ...planWindow(params, p),
  });
  const sort = params.sort ?? source.defaultSort;
  const dir = params.dir ?? "asc";
  let cursor: string | undefined;
  do {
    const page = await recordPage(ctx, source, { sort, dir, limit: MAX_RECORD_PAGE, cursor });
    yield* await withEvents(ctx, page.rows, p.timezone, p.livemode);
    cursor = page.next ?? undefined;
  } while (cursor);
}

function checkProduct(params: RecordParams): number | undefined {
  if (!(RECORD_KPIS[params.kpi] as RecordKpiSpec).perProduct) return undefined;
  return requiredCell(params.product, "product");
}

function checkReason(params: RecordParams): string | undefined {
  if (!(RECORD_KPIS[params.kpi] as RecordKpiSpec).perReason) return undefined;
  return requiredCell(params.reason, "reason");
}

/** The product or refund reason a per-cell figure needs (the records of one table cell). */
export function requiredCell<T>(value: T | undefined, field: "product" | "reason"): T {
  if (value === undefined) throw new ValidationError(`${field}: required for this figure`, field);
  return value;
}

function checkCohort(params: RecordParams): { month: string; index: number } | undefined {
  if (!(RECORD_KPIS[params.kpi] as RecordKpiSpec).perCohort) return undefined;
  if (params.cohort === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(params.cohort)) {
    throw new ValidationError("cohort: required for this figure, as YYYY-MM", "cohort");
  }
  if (
    params.month === undefined ||
    !Number.isInteger(params.month) ||
    params.month < 0 ||
    params.month > 240
  ) {
    throw new ValidationError("month: required for this figure, 0 to 240 months after the cohort's", "month");
  }
  return { month: params.cohort, index: params.month };
}

/**
 * The plan of an MRR-by-plan figure and the day at whose end its parts are taken (the end of the
 * period, or the day before it).
 */
function planWindow(
  params: RecordParams,
  p: { from: string; to: string },
): Pick<RecordWindow, "plan" | "planDay"> {
  const at = (RECORD_KPIS[params.kpi] as RecordKpiSpec).perPlan;
  if (!at) return {};
  if (params.plan === undefined || !/^[A-Za-z0-9_.:-]{1,200}$/.test(params.plan)) {
    throw new ValidationError("plan: required for this figure, a plan (price) id", "plan");
  }
  const day = at === "end" ? p.to : addDays(p.from, -1);
  return { plan: params.plan, planDay: day };
}

/** A cohort cell's share as the heatmap shows it, from the cohort snapshot (kpis.md `cohort_retention`). */
async function cohortFigure(ctx: ServiceContext, params: RecordParams): Promise<number | null> {
  const cell = checkCohort(params)!;
  const to = addDays(monthStart(cell.month, cell.index + 1), -1);
  const rows = await getCohortRetention(ctx, { ...params, from: monthStart(cell.month), to });
  return rows.find((r) => r.cohort === cell.month)?.retention[cell.index]?.rate ?? null;
}

/** A subscriber-cohort cell's share as the heatmap shows it (getSubscriberCohorts). */
async function subscriberCohortFigure(
  ctx: ServiceContext,
  params: RecordParams,
  kpi: "subscriber_cohort" | "subscriber_cohort_mrr",
): Promise<number | null> {
  const cell = checkCohort(params)!;
  const to = subscriberCellEnd(cell.month, cell.index, params.to);
  const rows = await getSubscriberCohorts(ctx, { ...params, from: monthStart(cell.month), to });
  const r = rows.find((c) => c.cohort === cell.month)?.retention.find((x) => x.month === cell.index);
  if (!r) return null;
  return kpi === "subscriber_cohort" ? r.subscriber_rate : r.mrr_rate;
}

/**
 * A by-reason cell has no snapshot of its own (the ops dashboard adds up the period's refund rows):
 * its figure is the sum of the same ledger rows, so the page states it rather than compare it.
 */
async function reasonFigure(ctx: ServiceContext, source: Source): Promise<number> {
  const row = await queryOne<{ value: number | string }>(
    ctx.readDb,
    sql`SELECT coalesce(sum(r.value), 0)::bigint AS "value" FROM (${source.query}) r`,
  );
  return Number(row?.value ?? 0);
}

/**
 * The figure as the dashboards show it, reading only the snapshot part the figure needs (ledger,
 * orders, MRR at the end, movements or the starting customers) and assembled by the same function
 * as computeKpis, so it is the same number; a product's figures come from the product rollups.
 */
async function figureFor(ctx: ServiceContext, params: RecordParams, source: Source): Promise<number | null> {
  const { kpi } = params;
  if (kpi === "refunds_by_reason") return reasonFigure(ctx, source);
  if (kpi === "cohort_retention") return cohortFigure(ctx, params);
  if (isSubscriberCohortKpi(kpi)) return subscriberCohortFigure(ctx, params, kpi);
  if (isPlanKpi(kpi)) {
    const row = (await getMrrByPlan(ctx, params)).find((r) => r.plan_id === params.plan);
    return kpi === "plan_mrr" ? (row?.mrr ?? 0) : (row?.mrr_start ?? 0);
  }
  // The stock table shows each product's stock now, whatever the period.
  if (isStockKpi(kpi)) return stockFigure(await getProduct({ db: ctx.readDb }, params.product!), kpi);
  if (isProductKpi(kpi)) {
    const rollup = (await getProductRollups(ctx, params)).find((r) => r.product_id === params.product);
    return productFigure(rollup, kpi);
  }
  const p = await resolveParams(ctx, params, "snapshots");
  const db = ctx.readDb;
  const part = RECORD_KPIS[kpi].part;
  let ledger = NO_LEDGER;
  let orders = NO_ORDERS;
  const mrr = { ...NO_MRR };
  if (part === "ledger") ledger = await snapshotLedger(db, p);
  else if (part === "orders") orders = await snapshotOrders(db, p);
  else if (part === "mrr_end") {
    const end = await mrrAtEndOf(db, p, p.to);
    Object.assign(mrr, {
      mrrEnd: end.mrr,
      subscribersEnd: end.subscribers,
      activeSubscriptions: end.subscriptions,
    });
  } else if (part === "movements") mrr.movements = await movementsBetween(db, p, p.from, p.to);
  else mrr.retention = await retentionBetween(db, p, addDays(p.from, -1), p.to);
  return figureOf(assembleKpis(p, ledger, orders, mrr), kpi);
}

const NO_LEDGER: LedgerTotals = {
  grossRevenue: 0,
  refunds: 0,
  disputes: 0,
  disputesLost: 0,
  fees: 0,
  feesKnown: 0,
};
const NO_ORDERS: OrderTotals = {
  orders: 0,
  orderRevenue: 0,
  customers: 0,
  newCustomers: 0,
  repeatCustomers: 0,
};
const NO_MRR: MrrPeriod = {
  mrrStart: 0,
  subscribersStart: 0,
  mrrEnd: 0,
  subscribersEnd: 0,
  activeSubscriptions: 0,
  movements: { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 },
  retention: { startingCustomers: 0, churnedCustomers: 0, mrrStart: 0, mrrLost: 0, mrrEnd: 0, mrrKept: 0 },
};

async function recordTotals(ctx: ServiceContext, source: Source, spec: RecordKpiSpec): Promise<RecordTotals> {
  const row = await queryOne<{
    rows: number | string;
    value: number | string;
    denominator: number | string | null;
  }>(
    ctx.readDb,
    sql`SELECT count(*)::bigint AS "rows", coalesce(sum(r.value), 0)::bigint AS "value",
               sum(r.denominator)::bigint AS "denominator"
        FROM (${source.query}) r`,
  );
  const value = Number(row?.value ?? 0);
  const denominator =
    row?.denominator === null || row?.denominator === undefined ? null : Number(row.denominator);
  const rows = Number(row?.rows ?? 0);
  const combine = spec.combine;
  const result =
    combine === "sum"
      ? spec.nullWhenEmpty && rows === 0
        ? null
        : value
      : combine === "mean"
        ? roundedMean(value, denominator ?? 0)
        : rate(value, denominator ?? 0);
  return { rows, value, denominator, result };
}

function sortColumn(sort: RecordSort): SQL {
  return sort === "date" ? sql`r.at` : sort === "value" ? sql`r.value` : sql`r.key`;
}

/** How Postgres writes a day and an instant as text (what a cursor carries back). */
const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

function encodeCursor(sortText: string, key: string): string {
  return Buffer.from(JSON.stringify([sortText, key])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((v) => typeof v === "string")) {
      return parsed as [string, string];
    }
  } catch {
    // fall through
  }
  throw new ValidationError("cursor: not a cursor this listing returned", "cursor");
}

async function recordPage(
  ctx: ServiceContext,
  source: Source,
  o: { sort: RecordSort; dir: "asc" | "desc"; limit: number; cursor?: string },
): Promise<{ rows: DbRow[]; next: string | null }> {
  const column = sortColumn(o.sort);
  const cast =
    o.sort === "date" ? sql.raw(source.at) : o.sort === "value" ? sql.raw("bigint") : sql.raw("text");
  const order = o.dir === "desc" ? sql.raw("DESC") : sql.raw("ASC");
  let after = sql`TRUE`;
  if (o.cursor) {
    const [sortText, key] = decodeCursor(o.cursor);
    const shape =
      o.sort === "date"
        ? source.at === "date"
          ? DAY_TEXT
          : INSTANT_TEXT
        : o.sort === "value"
          ? /^-?\d{1,18}$/
          : /^/;
    if (!shape.test(sortText))
      throw new ValidationError("cursor: not a cursor this listing returned", "cursor");
    const bound = sql`CAST(${sortText} AS ${cast})`;
    after =
      o.dir === "desc"
        ? sql`${column} <= ${bound} AND (${column}, r.key) < (${bound}, ${key})`
        : sql`${column} >= ${bound} AND (${column}, r.key) > (${bound}, ${key})`;
  }
  // Two steps: the page's keys in order (only the sort columns are computed for the period's rows),
  // then the full rows of those keys alone (customers, Stripe ids…: per row lookups).
  const pageOf = (query: SQL) =>
    sql`SELECT r.key, ${column} AS sort_value FROM (${query}) r WHERE ${after}
        ORDER BY ${column} ${order}, r.key ${order} LIMIT ${o.limit + 1}`;
  // A union is paged branch by branch (each on its own index), then the branches' pages merged.
  const pages = source.parts
    ? sql.join(
        source.parts.map((part) => sql`(${pageOf(part)})`),
        sql` UNION ALL `,
      )
    : pageOf(source.query);
  const keys = await queryRows<{ key: string; sort_text: string }>(
    ctx.readDb,
    sql`SELECT u.key, u.sort_value::text AS sort_text FROM (${pages}) u
        ORDER BY u.sort_value ${order}, u.key ${order} LIMIT ${o.limit + 1}`,
  );
  const more = keys.length > o.limit;
  const pageKeys = more ? keys.slice(0, o.limit) : keys;
  // The page's own span of the sort column too, so a key that no index serves is looked up only there.
  const ends = [pageKeys[0]?.sort_text, pageKeys[pageKeys.length - 1]?.sort_text];
  const [lowest, highest] = o.dir === "desc" ? [ends[1], ends[0]] : ends;
  const full =
    pageKeys.length === 0
      ? []
      : await queryRows<DbRow>(
          ctx.readDb,
          sql`SELECT r.*, ${atText(source)} AS at_text
              FROM (${source.query}) r WHERE r.key IN ${pageKeys.map((k) => k.key)}
                AND ${column} BETWEEN CAST(${lowest} AS ${cast}) AND CAST(${highest} AS ${cast})`,
        );
  const byKey = new Map(full.map((r) => [r.key, r]));
  const pageRows = pageKeys.map((k) => ({ ...byKey.get(k.key)!, sort_text: k.sort_text }));
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, next: more && last ? encodeCursor(last.sort_text, last.key) : null };
}

/** A day as "YYYY-MM-DD", an instant as ISO 8601 in UTC. */
function atText(source: Source): SQL {
  return source.at === "date"
    ? sql`r.at::text`
    : sql`to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const num = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/**
 * The Stripe event behind each MRR row: the latest subscription event of that customer taking
 * effect that day (null when the change came from a discount starting or ending, not an event).
 */
async function withEvents(
  ctx: ServiceContext,
  rows: DbRow[],
  tz: string,
  livemode: boolean,
): Promise<RecordRow[]> {
  const mrrRows = rows.filter((r) => r.object === "mrr_change" || r.object === "mrr_customer");
  const found = new Map<string, { event_id: string; subscription_id: string }>();
  if (mrrRows.length > 0) {
    const windows = mrrRows.map((r) => {
      const day = r.at_text.slice(0, 10);
      return { row: r, lo: startOfDay(day, tz), hi: startOfDay(addDays(day, 1), tz) };
    });
    const ids = [...new Set(mrrRows.map((r) => r.customer_id).filter((id): id is number => id !== null))];
    const stripeIds = [
      ...new Set(mrrRows.map((r) => r.stripe_customer_id).filter((id): id is string => !!id)),
    ];
    const h = subscriptionHistory;
    const lo = new Date(Math.min(...windows.map((x) => x.lo.getTime())));
    const hi = new Date(Math.max(...windows.map((x) => x.hi.getTime())));
    const events = await queryRows<{
      event_id: string;
      subscription_id: string;
      customer_id: number | null;
      stripe_customer_id: string;
      created: Date | string;
    }>(
      ctx.readDb,
      sql`SELECT ${h.eventId} AS event_id, ${h.subscriptionId} AS subscription_id, ${h.customerId} AS customer_id,
                 ${h.stripeCustomerId} AS stripe_customer_id, ${h.eventCreated} AS created
          FROM ${h}
          WHERE ${h.subscriptionId} = ANY(ARRAY(${subscriptionsOf(ids, stripeIds)}))
            AND ${h.livemode} = ${livemode} AND ${h.eventCreated} > ${lo} AND ${h.eventCreated} <= ${hi}
          ORDER BY ${h.eventCreated}, ${h.receivedSeq}`,
    );
    // Each row takes the last event of its own customer in its day (`mine`): the read above is by subscription.
    for (const { row, lo: from, hi: to } of windows) {
      let best: (typeof events)[number] | undefined;
      for (const e of events) {
        const t = new Date(e.created).getTime();
        if (t <= from.getTime() || t > to.getTime()) continue;
        const mine =
          (row.customer_id !== null && num(e.customer_id) === row.customer_id) ||
          (row.stripe_customer_id !== null && e.stripe_customer_id === row.stripe_customer_id);
        if (mine) best = e;
      }
      if (best) found.set(row.key, { event_id: best.event_id, subscription_id: best.subscription_id });
    }
  }
  return rows.map((r) => ({
    key: r.key,
    at: r.at_text,
    object: r.object,
    object_id: r.object_id,
    customer_id: num(r.customer_id),
    stripe_customer_id: r.stripe_customer_id,
    status: r.status,
    amount: num(r.amount),
    mrr_before: num(r.mrr_before),
    mrr_after: num(r.mrr_after),
    movement: r.movement,
    event_id: found.get(r.key)?.event_id ?? null,
    subscription_id: found.get(r.key)?.subscription_id ?? null,
    stripe_id: r.stripe_id,
    value: Number(r.value),
    denominator: num(r.denominator),
  }));
}

/**
 * The subscriptions of the customers named by shop id or Stripe id, each way its own indexed read
 * (an `OR` of an id list and a subquery reads every subscription: 58 ms with 2,500,000 customers
 * and 200,000 subscriptions, against 3), so their history is read through its subscription index
 * instead of scanned. A subscription keeps its Stripe customer, and a history row is linked to a
 * customer with its subscription (same lookup, same transaction, same link statement): every history
 * row of these customers is of one of these.
 */
function subscriptionsOf(ids: number[], stripeIds: string[]): SQL {
  const s = subscriptions;
  const c = customers;
  const unlinked = sql`${s.customerId} IS NULL`;
  const ways = [
    ...(ids.length
      ? [
          sql`SELECT ${s.id} FROM ${s} WHERE ${s.customerId} IN ${ids}`,
          sql`SELECT ${s.id} FROM ${s} JOIN ${c} ON ${s.stripeCustomerId} = ${c.stripeCustomerId}
              WHERE ${unlinked} AND ${c.id} IN ${ids}`,
        ]
      : []),
    ...(stripeIds.length
      ? [
          sql`SELECT ${s.id} FROM ${s} JOIN ${c} ON ${s.customerId} = ${c.id} WHERE ${c.stripeCustomerId} IN ${stripeIds}`,
          sql`SELECT ${s.id} FROM ${s} WHERE ${unlinked} AND ${s.stripeCustomerId} IN ${stripeIds}`,
        ]
      : []),
  ];
  return sql.join(ways, sql` UNION `);
}
