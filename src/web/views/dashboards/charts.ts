import type { Series } from "../../../analytics/index.ts";
import { minorUnitDigits } from "../../../shared/money.ts";
import { CHART_BASE, type ChartTable } from "../components/chart.tsx";
import { money } from "../components/format.ts";

/** Chart axes show major units ("1,234.50"); tables show formatted money. */
export function major(amount: number | null, currency: string): number | null {
  return amount === null ? null : amount / 10 ** minorUnitDigits(currency);
}

/** Day buckets for short ranges, weeks up to about four months, months beyond. */
export function grainFor(days: number): "day" | "week" | "month" {
  return days <= 31 ? "day" : days <= 120 ? "week" : "month";
}

export interface MoneySeries {
  name: string;
  series: Series;
  color?: string;
  /** Shown below the axis (churn, contraction). */
  negative?: boolean;
  type?: "bar" | "line";
  stack?: string;
  /** 1: drawn against a second axis on the right (a stock such as MRR over flows). */
  axis?: 1;
}

/** Several money series over the same buckets as an ECharts option and the matching table. */
export function moneyChart(
  currency: string,
  parts: MoneySeries[],
): { option: Record<string, unknown>; table: ChartTable } {
  const buckets = parts[0]?.series.points.map((p) => p.period) ?? [];
  const option = {
    ...CHART_BASE,
    xAxis: { type: "category", data: buckets, axisTick: { alignWithLabel: true } },
    yAxis: [
      { type: "value", splitLine: { lineStyle: { color: "#eef1f5" } } },
      ...(parts.some((p) => p.axis === 1) ? [{ type: "value", splitLine: { show: false } }] : []),
    ],
    series: parts.map((part) => ({
      name: part.name,
      type: part.type ?? "bar",
      stack: part.stack,
      yAxisIndex: part.axis ?? 0,
      itemStyle: part.color ? { color: part.color } : undefined,
      lineStyle: part.color ? { color: part.color, width: 2 } : undefined,
      showSymbol: false,
      data: part.series.points.map((p) => {
        const v = major(p.value, currency);
        return v === null ? null : part.negative ? -v : v;
      }),
    })),
  };
  const table: ChartTable = {
    columns: ["Period", ...parts.map((p) => p.name)],
    numeric: [false, ...parts.map(() => true)],
    rows: buckets.map((bucket, i) => [
      bucket,
      ...parts.map((p) => money(p.series.points[i]?.value ?? null, currency)),
    ]),
  };
  return { option, table };
}
