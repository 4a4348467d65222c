import type { ServiceContext } from "../../context.ts";
import { ValidationError } from "../../shared/errors.ts";
import type { ConvertedMovements } from "../converted/core.ts";
import { type ConvertedParts, computeConvertedKpis } from "../converted/kpis.ts";
import { crossCurrencyCounts, resolveConverted } from "../converted/load.ts";
import { getConvertedProductRollups } from "../converted/products.ts";
import type { MissingRates } from "../converted/types.ts";
import { rate, roundedMean } from "../core/rates.ts";
import {
  arpaRows,
  type ConvertedRecordRow,
  convertRows,
  countRows,
  customerRows,
  ledgerPage,
  ledgerTotals,
  ledgerUnion,
  type MissingDays,
  movementRows,
  type ProductFigure,
  productRows,
  startingRows,
  subscriberRows,
  subscriptionRows,
} from "./converted-sources.ts";
import { type Combine, productFigure, RECORD_KPIS, type RecordKpi } from "./kpis.ts";
import { requiredCell } from "./list.ts";

export type { ConvertedRecordRow } from "./converted-sources.ts";

/** How a converted figure's rows are made, what a row's value is, and how they combine into the figure. */
interface ConvertedSpec {
  combine: Combine;
  /** A row's value: money (converted at its day's rate) or a count (added as it is). */
  value: "money" | "count";
  /** The figure is null, not 0, when no row exists (fees, a product's cost and margin). */
  nullWhenEmpty?: boolean;
  /** A table cell's figure: one refund reason's, or one product's (`reason` or `product` is then required). */
  cell?: "reason" | "product";
  /** What one row is, when it differs from the per-currency records' description. */
  rows?: string;
}

const money = (combine: Combine = "sum", extra: Partial<ConvertedSpec> = {}): ConvertedSpec => ({
  combine,
  value: "money",
  ...extra,
});
const counted = (combine: Combine = "sum", extra: Partial<ConvertedSpec> = {}): ConvertedSpec => ({
  combine,
  value: "count",
  ...extra,
});

const CUSTOMERS = "customers with a paid order in the period, once each whatever the currencies they paid in";
const SUBSCRIPTIONS =
  "subscriptions with MRR > 0 at the end of the period, each converted at the end day's rate";
const STARTING =
  "starting customers (MRR > 0 at the start), MRR at start → at end, each converted at its own day's rates";

/**
 * Every figure the converted view ("All currencies") shows and how its records are made (kpis.md
 * "Reporting currency"): money rows converted at their day's rate, counts once per customer across
 * currencies, means and rates as Σ converted ÷ Σ denominator, as the converted view computes them.
 */
const CONVERTED_SPECS = {
  gross_revenue: money(),
  refunds: money(),
  refunds_by_reason: money("sum", { cell: "reason" }),
  net_revenue: money(),
  disputes: money(),
  disputes_lost: money(),
  fees: money("sum", { nullWhenEmpty: true }),
  orders: counted(),
  order_revenue: money(),
  aov: money("mean", { rows: "orders paid in the period, their total converted, 1 each in the denominator" }),
  customers: counted("sum", { rows: `${CUSTOMERS}, 1 each` }),
  new_customers: counted("sum", {
    rows: "customers whose first paid order in any currency falls in the period, 1 each",
  }),
  repeat_customer_rate: counted("rate", {
    rows: `${CUSTOMERS}: 1 if they have 2+ paid orders by its end (all currencies together) ÷ all`,
  }),
  mrr: money("sum", { rows: SUBSCRIPTIONS }),
  arr: money("sum", { rows: `${SUBSCRIPTIONS}, × 12 (the converted MRR × 12)` }),
  active_subscriptions: counted("sum", {
    rows: "subscriptions with MRR > 0 at the end of the period, 1 each",
  }),
  subscribers: counted("sum", {
    rows: "customers with MRR > 0 at the end of the period, once each whatever their currencies",
  }),
  arpa: money("mean", {
    rows: `${SUBSCRIPTIONS}: Σ converted MRR ÷ customers (1 on each customer's first subscription)`,
  }),
  "mrr_movements.new": money(),
  "mrr_movements.expansion": money(),
  "mrr_movements.contraction": money(),
  "mrr_movements.churn": money(),
  "mrr_movements.reactivation": money(),
  "mrr_movements.fx": money(),
  "mrr_movements.net": money(),
  customer_churn_rate: counted("rate", { rows: `${STARTING}: 1 if churned (MRR 0 at end) ÷ all` }),
  revenue_churn_rate: money("rate", { rows: `${STARTING}: Σ max(0, start − end) ÷ Σ start` }),
  net_revenue_retention: money("rate", { rows: `${STARTING}: Σ end ÷ Σ start` }),
  gross_revenue_retention: money("rate", { rows: `${STARTING}: Σ min(start, end) ÷ Σ start` }),
  product_units: counted("sum", {
    cell: "product",
    rows: "the product's sales of each day and currency of the period, units as value",
  }),
  product_revenue: money("sum", {
    cell: "product",
    rows: "the product's sales of each day and currency of the period, line revenue converted at the day's rate",
  }),
  product_cost: money("sum", {
    cell: "product",
    nullWhenEmpty: true,
    rows: "the product's sales of each day and currency with a known unit cost, the cost converted at the day's rate",
  }),
  product_margin: money("sum", {
    cell: "product",
    nullWhenEmpty: true,
    rows: "the product's sales of each day and currency with a known unit cost: converted revenue − converted cost",
  }),
  product_margin_rate: money("rate", {
    cell: "product",
    rows: "the product's sales of each day and currency with a known unit cost: Σ converted margin ÷ Σ converted revenue",
  }),
} as const satisfies Record<string, ConvertedSpec>;

/** The figures whose records the converted view lists: every figure it shows. */
export const CONVERTED_RECORD_KPIS = Object.keys(CONVERTED_SPECS) as Array<keyof typeof CONVERTED_SPECS>;
export type ConvertedRecordKpi = keyof typeof CONVERTED_SPECS;

export function isConvertedRecordKpi(kpi: string): kpi is ConvertedRecordKpi {
  return Object.hasOwn(CONVERTED_SPECS, kpi);
}

/** How a converted figure's value reads: money in the reporting currency, a count, or a rate. */
export function convertedFigureKind(kpi: ConvertedRecordKpi): "money" | "count" | "rate" {
  const spec: ConvertedSpec = CONVERTED_SPECS[kpi];
  return spec.combine === "rate" ? "rate" : spec.value;
}

/** A row's value is a count (added as it is), not money. */
export const isCountFigure = (kpi: ConvertedRecordKpi) => CONVERTED_SPECS[kpi].value === "count";

export interface ConvertedRecordPage {
  kpi: ConvertedRecordKpi;
  from: string;
  to: string;
  timezone: string;
  currency: "all";
  reporting_currency: string;
  livemode: boolean;
  /** The refund reason or product of a table cell's figure. */
  reason?: string;
  product?: number;
  /** How the rows make the figure: their sum, a rounded mean or a rate (Σ converted ÷ Σ denominator). */
  combine: Combine;
  /** The converted figure as the dashboards show it (computeConvertedKpis, the converted product rollups). */
  figure: number | null;
  /** What every row (all pages) makes, combined as the figure is; null when a row lacks a rate. */
  total: number | null;
  /** Σ converted of every row; with `denominator`, what `total` is for a mean or a rate. */
  numerator: number | null;
  /** Σ denominator of every row (means and rates); null for sums or when a row lacks a rate. */
  denominator: number | null;
  missing: MissingRates[];
  /** Every row of the figure, on all pages. */
  total_rows: number;
  /** This page (from 1), its size and the number of pages. */
  page: number;
  limit: number;
  pages: number;
  /** The rows of this page, in the order of `at`, then `key`. */
  rows: ConvertedRecordRow[];
}

/** Rows on a page of converted records unless `limit` says otherwise. */
export const CONVERTED_RECORDS_PAGE = 50;

export interface ConvertedRecordParams {
  kpi: string;
  from: string;
  to: string;
  reportingCurrency?: string;
  livemode?: boolean;
  timezone?: string;
  /** The refund reason of `refunds_by_reason` (`none`: no reason given). */
  reason?: string;
  /** The product of the product figures. */
  product?: number;
  /** The page to return (from 1; past the last page gives no rows) and its size. */
  page?: number;
  limit?: number;
}

/**
 * The records behind a converted figure (kpis.md "Reporting currency"): money records of every
 * currency converted at the rate of their reporting day as the converted view does, counts once per
 * customer across currencies, MRR per subscription, movements and the starting customers from the
 * converted view's own sweep; combined as the figure is, they make it. The totals and the missing
 * rates cover every row; `rows` is the requested page of them.
 */
export async function listConvertedRecords(
  ctx: ServiceContext,
  params: ConvertedRecordParams,
): Promise<ConvertedRecordPage> {
  const limit = params.limit ?? CONVERTED_RECORDS_PAGE;
  const page = params.page ?? 1;
  const { kpi, spec, cell, p } = await resolveFigure(ctx, params);
  const source = LEDGER_SOURCES[kpi as LedgerFigure];
  // A ledger or order figure: its page alone is read and converted, its totals added up in groups.
  if (source) {
    const missing: MissingDays = new Map();
    const count = spec.value === "count";
    // One union (its currencies read once) for the page and the totals.
    const union = await ledgerUnion(ctx, p, source, cell);
    const [rows, totals] = await Promise.all([
      ledgerPage(ctx, p, union, count, missing, { offset: (page - 1) * limit, limit }),
      ledgerTotals(ctx, p, union, count, missing),
    ]);
    const made = combineTotals(spec, totals);
    return {
      ...(await pageHead(ctx, params, p, kpi, spec, cell, made, missing)),
      total_rows: totals.rows,
      page,
      limit,
      pages: Math.max(1, Math.ceil(totals.rows / limit)),
      rows: spec.combine === "mean" ? rows.map((r) => ({ ...r, denominator: 1 })) : rows,
    };
  }
  // The period's customers: their page alone, the totals counted as the converted counts are.
  if (isCustomerFigure(kpi)) {
    const [rows, counts] = await Promise.all([
      customerRows(ctx, p, kpi, { offset: (page - 1) * limit, limit }),
      crossCurrencyCounts(ctx.readDb, p, { orders: false, customers: true }),
    ]);
    const rowsAll = kpi === "new_customers" ? counts.newCustomers : counts.customers;
    const numerator = kpi === "repeat_customer_rate" ? counts.repeatCustomers : rowsAll;
    const made: Made =
      kpi === "repeat_customer_rate"
        ? { total: rate(numerator, rowsAll), numerator, denominator: rowsAll }
        : { total: numerator, numerator, denominator: null };
    return {
      ...(await pageHead(ctx, params, p, kpi, spec, cell, made, new Map())),
      total_rows: rowsAll,
      page,
      limit,
      pages: Math.max(1, Math.ceil(rowsAll / limit)),
      rows,
    };
  }
  const { rows, ...all } = await allConvertedRecords(ctx, params);
  return {
    ...all,
    total_rows: rows.length,
    page,
    limit,
    pages: Math.max(1, Math.ceil(rows.length / limit)),
    rows: rows.slice((page - 1) * limit, page * limit),
  };
}

/** Every record of a converted figure, with the figure, what the rows make and the missing rates (the CSV's rows). */
export async function allConvertedRecords(
  ctx: ServiceContext,
  params: ConvertedRecordParams,
): Promise<Omit<ConvertedRecordPage, "total_rows" | "page" | "limit" | "pages">> {
  const { kpi, spec, cell, p } = await resolveFigure(ctx, params);
  const missing: MissingDays = new Map();
  const source = LEDGER_SOURCES[kpi as LedgerFigure];
  let rows: ConvertedRecordRow[];
  if (source) {
    // In the order of the query (by instant, key, currency), the order of the pages too.
    rows = await ledgerPage(ctx, p, await ledgerUnion(ctx, p, source, cell), spec.value === "count", missing);
    if (spec.combine === "mean") rows = rows.map((r) => ({ ...r, denominator: 1 }));
  } else if (isCustomerFigure(kpi)) {
    // In the order of the query (first day, then customer id), the order of the pages too.
    rows = await customerRows(ctx, p, kpi);
  } else {
    rows = await recordsOf(ctx, p, kpi, cell, missing);
    rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1));
  }
  const made = combineRows(spec, rows);
  return { ...(await pageHead(ctx, params, p, kpi, spec, cell, made, missing)), rows };
}

/** The figure asked for, checked: a figure of the converted view, with its cell (reason or product) when it needs one. */
async function resolveFigure(ctx: ServiceContext, params: ConvertedRecordParams) {
  const kpi = params.kpi;
  if (!isConvertedRecordKpi(kpi)) {
    throw new ValidationError(
      `currency: "all" lists the records of ${CONVERTED_RECORD_KPIS.join(", ")} only`,
      "currency",
    );
  }
  const spec: ConvertedSpec = CONVERTED_SPECS[kpi];
  const cell = checkCell(spec, params);
  return { kpi, spec, cell, p: await resolveConverted(ctx, params) };
}

type Made = ReturnType<typeof combineRows>;

/** A page's figure, what its rows make and the missing rates, with the period and view. */
async function pageHead(
  ctx: ServiceContext,
  params: ConvertedRecordParams,
  p: Resolved,
  kpi: ConvertedRecordKpi,
  spec: ConvertedSpec,
  cell: Cell,
  made: Made,
  missing: MissingDays,
) {
  return {
    kpi,
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    currency: "all" as const,
    reporting_currency: p.reporting,
    livemode: p.livemode,
    ...cell,
    combine: spec.combine,
    figure: await figureOf(ctx, params, p.reporting, kpi, cell, made.total),
    ...made,
    missing: [...missing]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([pair, days]) => ({ pair, days: [...days].sort() })),
  };
}

/** The figures whose records are a per-currency records source in every currency, and that source. */
const LEDGER_SOURCES = {
  gross_revenue: "gross_revenue",
  refunds: "refunds",
  refunds_by_reason: "refunds_by_reason",
  net_revenue: "net_revenue",
  disputes: "disputes",
  disputes_lost: "disputes_lost",
  fees: "fees",
  orders: "orders",
  order_revenue: "order_revenue",
  // AOV: the orders' totals, 1 each in the denominator.
  aov: "order_revenue",
} as const satisfies Partial<Record<ConvertedRecordKpi, RecordKpi>>;
type LedgerFigure = keyof typeof LEDGER_SOURCES;

/** What a ledger figure's totals make, combined as the figure is (AOV: Σ converted ÷ rows). */
function combineTotals(spec: ConvertedSpec, totals: { rows: number; converted: number | null }): Made {
  if (totals.converted === null) return { total: null, numerator: null, denominator: null };
  if (spec.combine === "mean")
    return {
      total: roundedMean(totals.converted, totals.rows),
      numerator: totals.converted,
      denominator: totals.rows,
    };
  const empty = spec.nullWhenEmpty && totals.rows === 0;
  return { total: empty ? null : totals.converted, numerator: totals.converted, denominator: null };
}

type Resolved = Awaited<ReturnType<typeof resolveConverted>>;
type Cell = { reason?: string; product?: number };

function checkCell(spec: ConvertedSpec, params: ConvertedRecordParams): Cell {
  if (spec.cell === "reason") return { reason: requiredCell(params.reason, "reason") };
  if (spec.cell === "product") return { product: requiredCell(params.product, "product") };
  return {};
}

/** The rows of a converted figure, each with its rate and converted amount (or count). */
async function recordsOf(
  ctx: ServiceContext,
  p: Resolved,
  kpi: ConvertedRecordKpi,
  cell: Cell,
  missing: MissingDays,
): Promise<ConvertedRecordRow[]> {
  switch (kpi) {
    case "mrr":
      return convertRows(ctx, p, await subscriptionRows(ctx, p), missing);
    case "arr":
      return convertRows(
        ctx,
        p,
        (await subscriptionRows(ctx, p)).map((r) => ({ ...r, value: r.value * 12 })),
        missing,
        12,
      );
    case "active_subscriptions":
      return countRows((await subscriptionRows(ctx, p)).map((r) => ({ ...r, value: 1 })));
    case "subscribers":
      return countRows(subscriberRows(p, await subscriptionRows(ctx, p)));
    case "arpa": {
      const subscriptions = await subscriptionRows(ctx, p);
      return arpaRows(await convertRows(ctx, p, subscriptions, missing), subscriptions);
    }
    case "customer_churn_rate":
    case "revenue_churn_rate":
    case "net_revenue_retention":
    case "gross_revenue_retention":
      return startingRows(ctx, p, kpi, missing);
    case "product_units":
    case "product_revenue":
    case "product_cost":
    case "product_margin":
    case "product_margin_rate":
      return productRows(ctx, p, kpi, cell.product!, missing);
    default:
      if (isMovementKpi(kpi)) return movementRows(ctx, p, movementOf(kpi), missing);
      throw new Error(`${kpi}: a ledger figure, listed by ledgerPage`);
  }
}

/** What the rows make, combined as the figure is: null when a row lacks its rate (or, `nullWhenEmpty`, with none). */
export function combineRows(
  spec: { combine: Combine; nullWhenEmpty?: boolean },
  rows: ReadonlyArray<Pick<ConvertedRecordRow, "converted" | "denominator">>,
): { total: number | null; numerator: number | null; denominator: number | null } {
  const ratio = spec.combine !== "sum";
  if (rows.some((r) => r.converted === null || (ratio && r.denominator === null)))
    return { total: null, numerator: null, denominator: null };
  const numerator = rows.reduce((s, r) => s + r.converted!, 0);
  if (!ratio)
    return {
      total: spec.nullWhenEmpty && rows.length === 0 ? null : numerator,
      numerator,
      denominator: null,
    };
  const denominator = rows.reduce((s, r) => s + r.denominator!, 0);
  const total = spec.combine === "mean" ? roundedMean(numerator, denominator) : rate(numerator, denominator);
  return { total, numerator, denominator };
}

/**
 * The figure as the dashboards show it: the converted `kpis` JSON, a product's converted rollup; a
 * refund reason's cell has no figure of its own (the ops dashboard adds up the same converted rows).
 */
async function figureOf(
  ctx: ServiceContext,
  params: ConvertedRecordParams,
  reporting: string,
  kpi: ConvertedRecordKpi,
  cell: Cell,
  total: number | null,
): Promise<number | null> {
  if (kpi === "refunds_by_reason") return total;
  const converted = { ...params, reportingCurrency: reporting };
  if (cell.product !== undefined) {
    const { rollups } = await getConvertedProductRollups(ctx, converted);
    const rollup = rollups.find((r) => r.product_id === cell.product);
    if (rollup?.revenue === null) return kpi === "product_units" ? rollup.units : null;
    return productFigure(rollup as Parameters<typeof productFigure>[0], kpi as ProductFigure);
  }
  const figures = await computeConvertedKpis(ctx, converted, partsOf(kpi));
  if (isMovementKpi(kpi)) return figures.mrr_movements?.[movementOf(kpi)] ?? null;
  return figures[kpi as Exclude<ConvertedRecordKpi, MovementKpi | ProductFigure | "refunds_by_reason">];
}

/** The part of the converted view a figure reads (its records page reads only that). */
function partsOf(kpi: ConvertedRecordKpi): ConvertedParts {
  const none = { amounts: false, subscriptions: false, orders: false, customers: false };
  if (kpi === "orders") return { ...none, orders: true };
  if (kpi === "aov") return { ...none, amounts: true, orders: true };
  if (kpi in LEDGER_SOURCES) return { ...none, amounts: true };
  if (isCustomerFigure(kpi)) return { ...none, customers: true };
  return { ...none, subscriptions: true };
}

/** What the rows of a converted figure are (the page's subtitle). */
export function convertedRecordRows(kpi: ConvertedRecordKpi): string {
  const spec: ConvertedSpec = CONVERTED_SPECS[kpi];
  if (spec.rows) return spec.rows;
  if (!isMovementKpi(kpi)) return RECORD_KPIS[kpi].rows;
  const movement = movementOf(kpi);
  if (movement === "fx")
    return "each day's revaluation: the MRR held from the day before, at that day's rates against the day before's";
  if (movement === "net")
    return "each customer's change of converted MRR on each day, and each day's revaluation (fx), with its sign";
  return `customers whose converted MRR moved as ${movement} on a day of the period, MRR before → after at that day's rates`;
}

const isCustomerFigure = (kpi: string): kpi is "customers" | "new_customers" | "repeat_customer_rate" =>
  kpi === "customers" || kpi === "new_customers" || kpi === "repeat_customer_rate";

type MovementKpi = Extract<ConvertedRecordKpi, `mrr_movements.${string}`>;
const isMovementKpi = (kpi: string): kpi is MovementKpi => kpi.startsWith("mrr_movements.");
const movementOf = (kpi: MovementKpi) => kpi.slice("mrr_movements.".length) as keyof ConvertedMovements;
