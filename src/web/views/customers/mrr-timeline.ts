import type { CustomerMrrPoint } from "../../../analytics/index.ts";
import { CHART_BASE, type ChartTable } from "../components/chart.tsx";
import { day, money } from "../components/format.ts";
import { major } from "../dashboards/charts.ts";

/** The timeline of one currency: its change days in order (amounts are never added across currencies). */
export function byCurrency(points: readonly CustomerMrrPoint[]): Map<string, CustomerMrrPoint[]> {
  const map = new Map<string, CustomerMrrPoint[]>();
  for (const p of points) map.set(p.currency, [...(map.get(p.currency) ?? []), p]);
  return map;
}

/**
 * A step line of end-of-day MRR over a time axis (the snapshot holds only the days it changed, so
 * the level holds until the next point), drawn on to `today`, plus the same points as a table.
 */
export function mrrTimelineChart(
  currency: string,
  points: readonly CustomerMrrPoint[],
  today: string,
): { option: Record<string, unknown>; table: ChartTable } {
  const data = points.map((p) => [p.day, major(p.mrr, currency)]);
  const last = points[points.length - 1];
  if (last && last.day < today) data.push([today, major(last.mrr, currency)]);
  const option = {
    ...CHART_BASE,
    legend: { show: false },
    xAxis: { type: "time" },
    yAxis: { type: "value", splitLine: { lineStyle: { color: "#eef1f5" } } },
    series: [
      {
        name: `MRR (${currency.toUpperCase()})`,
        type: "line",
        step: "end",
        showSymbol: true,
        symbolSize: 5,
        areaStyle: { opacity: 0.08 },
        data,
      },
    ],
  };
  const table: ChartTable = {
    columns: ["Day", "MRR at end of day", "Change", "Movement"],
    numeric: [false, true, true, false],
    rows: points.map((p) => [
      day(p.day),
      money(p.mrr, currency),
      signed(p.mrr - p.prevMrr, currency),
      p.movement ?? "—",
    ]),
  };
  return { option, table };
}

/** "+12.00 US$" / "−5.00 US$": a change with its sign. */
export function signed(amount: number, currency: string): string {
  if (amount === 0) return money(0, currency);
  return `${amount > 0 ? "+" : "−"}${money(Math.abs(amount), currency)}`;
}
