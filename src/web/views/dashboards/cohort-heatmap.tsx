import type { CohortRow } from "../../../analytics/index.ts";
import { count, percent } from "../components/format.ts";

/** Shade from white to the primary colour by retention; white text once the cell is dark. */
function shade(rate: number | null): { style?: string; dark: boolean } {
  if (rate === null) return { dark: false };
  // A floor and a slope so that 10% and 20% are told apart as easily as 80% and 90%.
  const alpha = 0.06 + 0.94 * Math.min(1, Math.max(0, rate));
  return { style: `background: rgba(35, 70, 199, ${alpha.toFixed(2)})`, dark: alpha > 0.5 };
}

/** Cohort retention as a table (readable by screen readers and without colour) with shaded cells. */
export function CohortHeatmap(props: { cohorts: CohortRow[] }) {
  const months = Math.max(0, ...props.cohorts.map((c) => c.retention.length));
  if (props.cohorts.length === 0) return <p class="empty">No cohorts in this period yet.</p>;
  return (
    <div class="table-wrap">
      <table class="heatmap">
        <caption class="visually-hidden">
          Share of each cohort with a paid order k months after their first paid order
        </caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col" class="num">
              Customers
            </th>
            {Array.from({ length: months }, (_, k) => (
              <th scope="col" class="num">
                M{k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.cohorts.map((c) => (
            <tr>
              <th scope="row">{c.cohort}</th>
              <td class="num">{count(c.size)}</td>
              {Array.from({ length: months }, (_, k) => {
                const cell = c.retention.find((r) => r.month === k);
                if (!cell) return <td class="cell" aria-label="not yet"></td>;
                const s = shade(cell.rate);
                return (
                  <td
                    class={`cell num${s.dark ? " dark" : ""}`}
                    style={s.style}
                    title={`${cell.customers} customers`}
                  >
                    {percent(cell.rate)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
