import { isRecordKpi, type RecordKpi } from "../../../analytics/index.ts";

/** The drill-down page of a figure for a period (whole days) and currency. */
export function recordsHref(
  kpi: RecordKpi,
  range: { from: string; to: string },
  currency: string,
  product?: number,
  reason?: string,
): string {
  const q = new URLSearchParams({ from: range.from, to: range.to, currency });
  if (product !== undefined) q.set("product", String(product));
  if (reason !== undefined) q.set("reason", reason);
  return `/records/${kpi}?${q.toString()}`;
}

/** The figure behind a series metric (`mrr_new` is `mrr_movements.new`); null when none has records. */
export function seriesRecordKpi(metric: string): RecordKpi | null {
  const movement = /^mrr_(new|expansion|contraction|churn|reactivation|net)$/.exec(metric)?.[1];
  const key = movement ? `mrr_movements.${movement}` : metric;
  return isRecordKpi(key) ? key : null;
}

/** The drill-down of each point of a series: the bucket's own days (`period`..`to`). */
export function seriesHrefs(
  metric: string,
  points: ReadonlyArray<{ period: string; to: string }>,
  currency: string,
): Array<string | null> {
  const kpi = seriesRecordKpi(metric);
  return points.map((p) => (kpi ? recordsHref(kpi, { from: p.period, to: p.to }, currency) : null));
}
