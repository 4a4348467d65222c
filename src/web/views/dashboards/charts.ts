import { addDays } from "../../../analytics/core/periods.ts";
import type { Grain, Series } from "../../../analytics/index.ts";
import { minorUnitDigits } from "../../../shared/money.ts";
import { CHART_BASE, type ChartTable } from "../components/chart.tsx";
import { day, money, month as monthLabel } from "../components/format.ts";
import { seriesHrefs } from "../records/links.ts";

/** Chart axes show major units ("1,234.50"); tables show formatted money. */
export function major(amount: number | null, currency: string): number | null {
  return amount === null ? null : amount / 10 ** minorUnitDigits(currency);
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
  /** The series metric whose records a bar opens, when not the series' own (`fx`, derived from net). */
  records?: string;
}

/** How a chart bucket relates to the calendar: whole, cut by the range, or still running (holds today). */
export type BucketState = "complete" | "partial" | "current";

export interface BucketMarks {
  grain: Grain;
  /** Today in the reporting time zone: the bucket holding it is incomplete. */
  today: string;
}

/**
 * A bucket `period`..`to` of `grain`: "current" when it holds today (the numbers are still moving),
 * "partial" when the range cuts it (a week or month not covered from its first to its last day).
 */
export function bucketState(b: { period: string; to: string }, grain: Grain, today: string): BucketState {
  if (b.period <= today && today <= b.to) return "current";
  if (grain === "day") return "complete";
  const start = grain === "month" ? `${b.period.slice(0, 7)}-01` : mondayOf(b.period);
  const end = grain === "month" ? lastOfMonth(b.period) : addDays(start, 6);
  return b.period === start && b.to === end ? "complete" : "partial";
}

function mondayOf(day: string): string {
  const sinceMonday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -sinceMonday);
}

function lastOfMonth(day: string): string {
  const [y, m] = day.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

const STATE_NOTE: Record<BucketState, string> = { complete: "", partial: " (part)", current: " (so far)" };

/** A bucket's name in the dashboards' one date format: "4 May 2026", "w/c 4 May 2026", "May 2026". */
export function bucketLabel(b: { period: string; to: string }, grain: Grain, today: string): string {
  const name =
    grain === "month" ? monthLabel(b.period) : grain === "week" ? `w/c ${day(b.period)}` : day(b.period);
  return `${name}${STATE_NOTE[bucketState(b, grain, today)]}`;
}

/** Explains the marks under a chart whose buckets include a cut or running one; "" when none does. */
export function bucketNote(
  buckets: Array<{ period: string; to: string }>,
  grain: Grain,
  today: string,
): string {
  const states = new Set(buckets.map((b) => bucketState(b, grain, today)));
  const notes = [];
  if (states.has("partial")) notes.push(`"(part)": the range covers only part of that ${grain}`);
  if (states.has("current")) notes.push(`"(so far)": the ${grain} is not over yet`);
  return notes.length ? `${notes.join("; ")} (drawn lighter).` : "";
}

/**
 * Several money series over the same buckets as an ECharts option and the matching table. In the
 * converted view (`converted`: the series are in the reporting currency) the buckets open the
 * converted records where a figure has them.
 */
export function moneyChart(
  currency: string,
  parts: MoneySeries[],
  marks?: BucketMarks,
  converted?: boolean,
): { option: Record<string, unknown>; table: ChartTable; note: string } {
  const points = parts[0]?.series.points ?? [];
  const grain = marks?.grain ?? parts[0]?.series.grain ?? "day";
  const today = marks?.today ?? "";
  const states = points.map((p) => (marks ? bucketState(p, grain, today) : "complete"));
  const labels = points.map((p) => (marks ? bucketLabel(p, grain, today) : p.period));
  const hrefs = parts.map((p) =>
    seriesHrefs(p.records ?? p.series.metric, p.series.points, currency, converted ? currency : undefined),
  );
  const option = {
    ...CHART_BASE,
    xAxis: { type: "category", data: labels, axisTick: { alignWithLabel: true } },
    yAxis: [
      { type: "value", splitLine: { lineStyle: { color: "#eef1f5" } } },
      ...(parts.some((p) => p.axis === 1) ? [{ type: "value", splitLine: { show: false } }] : []),
    ],
    series: parts.map((part, index) => {
      const line = (part.type ?? "bar") === "line";
      return {
        name: part.name,
        type: part.type ?? "bar",
        stack: part.stack,
        yAxisIndex: part.axis ?? 0,
        itemStyle: part.color ? { color: part.color } : undefined,
        lineStyle: part.color ? { color: part.color, width: 2 } : undefined,
        showSymbol: line && states.some((s) => s !== "complete"),
        // A click on a bar or point opens the records behind it (/assets/app.js).
        links: hrefs[index],
        data: part.series.points.map((p, i) => {
          const v = major(p.value, currency);
          const value = v === null ? null : part.negative ? -v : v;
          // Cut or running buckets: lighter bars, an open marker on lines.
          if (states[i] === "complete") return line ? { value, symbol: "none" } : value;
          return line
            ? { value, symbol: "emptyCircle", symbolSize: 7 }
            : { value, itemStyle: { opacity: 0.45 } };
        }),
      };
    }),
  };
  const table: ChartTable = {
    columns: ["Period", ...parts.map((p) => p.name)],
    numeric: [false, ...parts.map(() => true)],
    rows: points.map((_, i) => [
      labels[i]!,
      ...parts.map((p) => money(p.series.points[i]?.value ?? null, currency)),
    ]),
    links: points.map((_, i) => [null, ...hrefs.map((h) => h[i] ?? null)]),
  };
  return { option, table, note: marks ? bucketNote(points, grain, today) : "" };
}

/** One series of a horizontal bar chart: a value per category, in the categories' order. */
export interface BarSeries {
  name: string;
  color: string;
  values: (number | null)[];
  /** Records behind each bar, opened on click (/assets/app.js). */
  links?: (string | null)[];
}

/**
 * Horizontal bars, first category on top (ECharts draws categories bottom-up, so both the
 * categories and every series are reversed here). The left margin leaves room for names such as
 * plan or product names; ECharts does not count a truncated label's width.
 */
export function horizontalBars(
  categories: string[],
  series: BarSeries[],
  extra: { axisName?: string; top?: number } = {},
): Record<string, unknown> {
  const bottomUp = <T>(xs: T[]): T[] => [...xs].reverse();
  return {
    ...CHART_BASE,
    grid: { left: 150, right: 24, top: extra.top ?? 8, bottom: 24, containLabel: false },
    xAxis: { type: "value", name: extra.axisName, splitLine: { lineStyle: { color: "#eef1f5" } } },
    yAxis: {
      type: "category",
      data: bottomUp(categories),
      axisLabel: { width: 140, overflow: "truncate", margin: 8 },
    },
    series: series.map((s) => ({
      name: s.name,
      type: "bar",
      itemStyle: { color: s.color },
      data: bottomUp(s.values),
      links: s.links ? bottomUp(s.links) : undefined,
    })),
    ...(series.length === 1 ? { legend: { show: false } } : {}),
  };
}
