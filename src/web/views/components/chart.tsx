export interface ChartTable {
  columns: string[];
  /** Which columns hold numbers (right-aligned, tabular). */
  numeric?: boolean[];
  rows: Array<Array<string | number>>;
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
        <DataTable caption={props.title} table={props.table} />
      </details>
    </figure>
  );
}

export function DataTable(props: { caption?: string; table: ChartTable; class?: string }) {
  const numeric = props.table.numeric ?? [];
  return (
    <div class="table-wrap">
      <table class={props.class}>
        {props.caption ? <caption>{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.table.columns.map((col, i) => (
              <th scope="col" class={numeric[i] ? "num" : undefined}>
                {col}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.table.rows.map((row) => (
            <tr>
              {row.map((cell, i) => (
                <td class={numeric[i] ? "num" : undefined}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
