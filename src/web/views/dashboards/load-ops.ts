import type { MissingRates } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { ReportingDays } from "../../../exports/days.ts";
import { PACK_FILES } from "../../../exports/index.ts";
import type { CsvRecord, PackScope } from "../../../exports/pack.ts";
import { countOpenIssuesBySeverity, type Issue, listIssues } from "../../../monitoring/index.ts";
import { listOrders } from "../../../orders/index.ts";
import { type CurrencyView, currencyView, mergeMissing } from "./currency-view.ts";
import type { OpsData } from "./ops.tsx";
import type { DashboardRange } from "./range.ts";

const ISSUES_SHOWN = 8;

/**
 * The ops dashboard shows the same rows as the ops and finance export packs (unfulfilled orders,
 * failed webhook events, refunds), so the page and the files agree by construction.
 */
export async function loadOps(ctx: AppContext, range: DashboardRange): Promise<OpsData> {
  const db = ctx.readDb;
  const now = ctx.clock.now();
  const view = await currencyView(ctx, range);
  const days = new ReportingDays(range.from, range.to, ctx.config.reportingTimezone);
  const scope: PackScope = {
    db,
    from: range.from,
    to: range.to,
    timezone: days.timezone,
    days,
    start: days.start,
    end: days.end,
    generatedAt: now,
    livemode: ctx.config.livemode,
    pii: false,
    fulfillmentSlaHours: ctx.config.fulfillmentSlaHours,
    customerKey: () => null,
    pageSize: 500,
    reportingCurrency: view.reportingCurrency,
  };
  const [backlog, failedEvents, refunds, disputes] = await Promise.all([
    collect(scope, "ops", "unfulfilled_orders.csv"),
    collect(scope, "ops", "failed_webhook_events.csv"),
    collect(scope, "finance", "refunds.csv"),
    collect(scope, "finance", "disputes.csv"),
  ]);
  const reads = { ...ctx, db: ctx.readDb };
  const severity = await countOpenIssuesBySeverity(reads);
  // Most severe first: a critical issue must not hide behind a page of warnings.
  const issues: Issue[] = [];
  for (const level of ["critical", "warning", "info"] as const) {
    if (issues.length >= ISSUES_SHOWN || severity[level] === 0) continue;
    const page = await listIssues(
      reads,
      { status: "open", severity: level },
      { page: 1, pageSize: ISSUES_SHOWN },
    );
    issues.push(...page.items.slice(0, ISSUES_SHOWN - issues.length));
  }
  const pending = await listOrders(reads, { status: "pending", limit: 200 });
  const money = moneyRows(view, refunds, disputes);
  return {
    ...view,
    ...money,
    now,
    severity,
    issues,
    openIssues: severity.critical + severity.warning + severity.info,
    // Late orders first (a preorder waiting for its ship date is old but not late), then the oldest.
    backlog: backlog.sort(
      (a, b) =>
        Number(b.over_sla === true) - Number(a.over_sla === true) ||
        Number(b.age_hours) - Number(a.age_hours),
    ),
    slaHours: ctx.config.fulfillmentSlaHours,
    failedEvents,
    pending: pending.orders,
    pendingTotal: pending.total,
    ttlMinutes: ctx.config.pendingOrderTtlMinutes,
  };
}

/**
 * The refunds and disputes the page lists: the chosen currency's rows, or every currency's rows with
 * `shown_amount`, the amount converted at the rate of its day
 * ("All currencies"; null when that rate is missing, and the page names the pair and day).
 */
function moneyRows(
  view: CurrencyView,
  refunds: CsvRecord[],
  disputes: CsvRecord[],
): Pick<OpsData, "refunds" | "disputes" | "converted"> {
  if (!view.converted) {
    const mine = (rows: CsvRecord[]) => rows.filter((r) => r.currency === view.currency);
    return { refunds: mine(refunds), disputes: mine(disputes) };
  }
  const all = (rows: CsvRecord[]) => rows.map((r) => ({ ...r, shown_amount: r.amount_converted ?? null }));
  const missing: MissingRates[] = [...refunds, ...disputes]
    .filter((r) => r.amount_converted === null)
    .map((r) => ({
      pair: `${String(r.currency).toUpperCase()}/${view.reportingCurrency.toUpperCase()}`,
      days: [String(r.created_day)],
    }));
  return {
    refunds: all(refunds),
    disputes: all(disputes),
    converted: { ...view.converted, missing: mergeMissing(missing) },
  };
}

async function collect(scope: PackScope, pack: "ops" | "finance", name: string): Promise<CsvRecord[]> {
  const file = PACK_FILES[pack].find((f) => f.name === name);
  if (!file) throw new Error(`export file ${name} is missing from the ${pack} pack`);
  const rows: CsvRecord[] = [];
  for await (const row of file.rows(scope)) rows.push(row);
  return rows;
}
