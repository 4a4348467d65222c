import { type DeltaKind, delta } from "./delta.ts";

export interface KpiCardProps {
  /** The KPI's JSON key (kpis.md); links to its definition and tags the value for tests. */
  kpi: string;
  label: string;
  /** Already formatted for display. */
  value: string;
  current: number | null;
  previous: number | null;
  kind: DeltaKind;
  higherIsBetter?: boolean;
  /** Shown under the delta, e.g. "vs 1–30 May". */
  comparedTo?: string;
  /** The records behind the value (drill-down); the value links to the definition without it. */
  href?: string;
}

/** One KPI: value, change against the previous period (arrow + words + colour) and its definition. */
export function KpiCard(props: KpiCardProps) {
  const d = delta(props.current, props.previous, props.kind, props.higherIsBetter ?? true);
  return (
    <article class="card kpi" data-kpi={props.kpi}>
      <h3 class="label">
        <span>{props.label}</span>
        <a href={`/docs/kpis#${props.kpi}`} title={`How ${props.label} is defined`}>
          <span class="info-dot" aria-hidden="true">
            i
          </span>
          <span class="visually-hidden">Definition of {props.label}</span>
        </a>
      </h3>
      <p class="value">
        <a
          class="value-link"
          href={props.href ?? `/docs/kpis#${props.kpi}`}
          title={props.href ? `The records behind ${props.label}` : undefined}
          data-value={props.current ?? ""}
        >
          {props.value}
        </a>
      </p>
      <p class={`delta ${d.tone}`}>
        {d.text}
        {props.comparedTo ? <span class="muted"> vs {props.comparedTo}</span> : null}
      </p>
    </article>
  );
}
