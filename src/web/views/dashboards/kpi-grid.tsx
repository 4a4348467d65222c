import type { Kpis } from "../../../analytics/index.ts";
import { KpiCard } from "../components/kpi-card.tsx";
import { convertedRecordsHref, recordsHref } from "../records/links.ts";
import { formatKpi, KPI_SPECS, type KpiKey } from "./kpi-format.ts";
import { periodLabel } from "./range.ts";

/** A titled row of KPI cards, each compared with the same KPI in the previous period. */
export function KpiGrid(props: {
  title: string;
  keys: KpiKey[];
  current: Kpis;
  previous: Kpis;
  /** In the converted view: the cards whose records convert row by row open them, the others none. */
  converted?: boolean;
}) {
  const compared = periodLabel(props.previous);
  return (
    <section class="kpi-section" aria-label={props.title}>
      <h2>{props.title}</h2>
      <div class="grid cards">
        {props.keys.map((key) => {
          const spec = KPI_SPECS[key];
          return (
            <KpiCard
              kpi={key}
              label={spec.label}
              value={formatKpi(key, props.current)}
              current={props.current[key]}
              previous={props.previous[key]}
              kind={spec.kind}
              higherIsBetter={spec.higherIsBetter}
              comparedTo={compared}
              href={
                props.converted
                  ? (convertedRecordsHref(key, props.current, props.current.currency) ?? undefined)
                  : recordsHref(key, props.current, props.current.currency)
              }
            />
          );
        })}
      </div>
    </section>
  );
}
