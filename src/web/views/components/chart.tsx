import { type Column, DataTable } from "./data-table.tsx";

export interface ChartTable {
  columns: string[];
  /** Which columns hold numbers (right-aligned, tabular). */
  numeric?: boolean[];
  rows: Array<Array<string | number>>;
  /** Per row and column, the page behind the cell (a figure's records); null for none. */
  links?: Array<Array<string | null>>;
}

export interface ChartProps {
  title: string;
  /** An ECharts option, rendered by /assets/app.js (no inline script: the CSP forbids it). */
  option: Record<string, unknown>;
  table: ChartTable;
  height?: number;
}

/** A chart plus its data as a table, so the numbers are there without JavaScript or sight. */
export function Chart(props: ChartProps) {
  return (
    <figure class="chart-figure">
      <figcaption>{props.title}</figcaption>
      <div
        class="chart"
        role="img"
        aria-label={`${props.title} chart; the data is in the table below`}
        data-chart={JSON.stringify(props.option)}
        style={props.height ? `height:${props.height}px` : undefined}
      ></div>
      <details class="fallback">
        <summary>Show data as a table</summary>
        <ChartDataTable caption={props.title} table={props.table} />
      </details>
    </figure>
  );
}

/** A ChartTable (a chart's data, or any table of plain values) as an HTML table. */
export function ChartDataTable(props: { caption?: string; table: ChartTable; class?: string }) {
  const numeric = props.table.numeric ?? [];
  const columns: Column<ChartTable["rows"][number]>[] = props.table.columns.map((header, i) => ({
    header,
    numeric: numeric[i],
    cell: (row) => {
      const href = props.table.links?.[props.table.rows.indexOf(row)]?.[i];
      return href ? <a href={href}>{row[i]}</a> : row[i];
    },
  }));
  return (
    <DataTable
      caption={props.caption || undefined}
      class={props.class}
      columns={columns}
      rows={props.table.rows}
    />
  );
}

/** Shared look for every chart: system font, muted axes, readable on a phone. */
export const CHART_BASE = {
  textStyle: { fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif" },
  grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
  tooltip: { trigger: "axis" },
  legend: { top: 0, type: "scroll" },
  color: ["#2346c7", "#11703d", "#b42318", "#9a5b00", "#6941c6", "#0e7490"],
};
