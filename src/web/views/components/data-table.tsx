import type { Child } from "hono/jsx";

/** One column: its header, how a row fills its cell, and how the cell is aligned. */
export interface Column<Row> {
  header: Child;
  /** Numbers: right-aligned with tabular figures (`num` on the header and the cells). */
  numeric?: boolean;
  /** Extra class on this column's cells only, e.g. `num` on a date whose header stays left-aligned. */
  cellClass?: string;
  /** The cell names its row (`<th scope="row">`), so screen readers announce it with each value. */
  rowHeader?: boolean;
  cell: (row: Row) => Child;
}

export interface DataTableProps<Row> {
  columns: Column<Row>[];
  rows: readonly Row[];
  caption?: Child;
  /** Keep the caption for screen readers only. */
  captionHidden?: boolean;
  class?: string;
  /** Each body cell carries its column's header as `data-label` (a phone stylesheet shows rows as cards). */
  labelCells?: boolean;
  /** Shown instead of the whole table when there are no rows. */
  empty?: Child;
  /** Wrap the table in a panel section rather than a bare scrolling div. */
  panel?: boolean;
  /** Attributes of each body row (a highlight class, a data attribute for scripts and tests). */
  rowAttributes?: (row: Row) => Record<string, string | number | undefined>;
  /** Rows of a `<tfoot>`: totals under the body. */
  foot?: Child;
  /** Below the table, inside its scrolling wrapper: a "showing n of m" line, a note. */
  children?: Child;
}

function classes(...names: Array<string | false | undefined>): string | undefined {
  return names.filter(Boolean).join(" ") || undefined;
}

/** A table with `scope="col"` headers, one row per item, numeric columns right-aligned. */
export function DataTable<Row>(props: DataTableProps<Row>) {
  if (props.rows.length === 0 && props.empty !== undefined) return <>{props.empty}</>;
  const table = (
    <table class={props.class}>
      {props.caption === undefined ? null : (
        <caption class={props.captionHidden ? "visually-hidden" : undefined}>{props.caption}</caption>
      )}
      <thead>
        <tr>
          {props.columns.map((col) => (
            <th scope="col" class={col.numeric ? "num" : undefined}>
              {col.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr {...props.rowAttributes?.(row)}>
            {props.columns.map((col) => {
              const cellClass = classes(col.numeric && "num", col.cellClass);
              return col.rowHeader ? (
                <th scope="row" class={cellClass}>
                  {col.cell(row)}
                </th>
              ) : (
                <td
                  class={cellClass}
                  data-label={props.labelCells && typeof col.header === "string" ? col.header : undefined}
                >
                  {col.cell(row)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
      {props.foot === undefined ? null : <tfoot>{props.foot}</tfoot>}
    </table>
  );
  return props.panel ? (
    <section class="panel table-wrap">
      {table}
      {props.children}
    </section>
  ) : (
    <div class="table-wrap">
      {table}
      {props.children}
    </div>
  );
}
