import { isConvertedRecordKpi, isRecordKpi, type RecordKpi } from "../../../analytics/index.ts";

/** What narrows a table cell's records: its product, refund reason, cohort and month after it, or plan. */
export interface RecordCell {
  product?: number;
  reason?: string;
  cohort?: { month: string; index: number };
  plan?: string;
}

/** The drill-down page of a figure for a period (whole days) and currency. */
export function recordsHref(
  kpi: RecordKpi,
  range: { from: string; to: string },
  currency: string,
  cell: RecordCell = {},
): string {
  const q = new URLSearchParams({ from: range.from, to: range.to, currency });
  if (cell.product !== undefined) q.set("product", String(cell.product));
  if (cell.reason !== undefined) q.set("reason", cell.reason);
  if (cell.cohort !== undefined) {
    q.set("cohort", cell.cohort.month);
    q.set("month", String(cell.cohort.index));
  }
  if (cell.plan !== undefined) q.set("plan", cell.plan);
  return `/records/${kpi}?${q.toString()}`;
}

/**
 * The records of a converted figure ("All currencies" in `reporting`), a product's or a refund
 * reason's cell among them: each row with its rate and converted amount; null for a figure the
 * converted view has no records of.
 */
export function convertedRecordsHref(
  kpi: string,
  range: { from: string; to: string },
  reporting: string,
  cell: Pick<RecordCell, "product" | "reason"> = {},
): string | null {
  if (!isConvertedRecordKpi(kpi)) return null;
  const q = new URLSearchParams({
    from: range.from,
    to: range.to,
    currency: "all",
    reporting_currency: reporting,
  });
  if (cell.product !== undefined) q.set("product", String(cell.product));
  if (cell.reason !== undefined) q.set("reason", cell.reason);
  return `/records/${kpi}?${q.toString()}`;
}

/** The figure key of a series metric: `mrr_new` is `mrr_movements.new` (the converted `mrr_fx` too). */
function seriesFigure(metric: string): string {
  const movement = /^mrr_(new|expansion|contraction|churn|reactivation|net|fx)$/.exec(metric)?.[1];
  return movement ? `mrr_movements.${movement}` : metric;
}

/** The figure behind a series metric (`mrr_new` is `mrr_movements.new`); null when none has records. */
export function seriesRecordKpi(metric: string): RecordKpi | null {
  const key = seriesFigure(metric);
  return isRecordKpi(key) ? key : null;
}

/**
 * The drill-down of each point of a series: the bucket's own days (`period`..`to`); in the converted
 * view (`convertedInto`: the reporting currency) the converted records where they exist.
 */
export function seriesHrefs(
  metric: string,
  points: ReadonlyArray<{ period: string; to: string }>,
  currency: string,
  convertedInto?: string,
): Array<string | null> {
  const kpi = seriesRecordKpi(metric);
  return points.map((p) => {
    const bucket = { from: p.period, to: p.to };
    if (convertedInto) return convertedRecordsHref(seriesFigure(metric), bucket, convertedInto);
    return kpi ? recordsHref(kpi, bucket, currency) : null;
  });
}
