import { NONE } from "./format.ts";

export type DeltaKind = "money" | "count" | "rate";

export interface Delta {
  direction: "up" | "down" | "flat" | "none";
  /** Good or bad for the business: refunds and churn going up is bad. */
  tone: "up" | "down" | "flat";
  text: string;
}

/**
 * Change against the previous period. Amounts and counts: relative change in percent; rates:
 * difference in percentage points (a relative change of a rate reads ambiguously). The arrow and
 * the words carry the direction, so colour is never the only signal.
 */
export function delta(
  current: number | null,
  previous: number | null,
  kind: DeltaKind,
  higherIsBetter = true,
): Delta {
  if (current === null || previous === null) return { direction: "none", tone: "flat", text: NONE };
  const diff = current - previous;
  const direction = diff > 0 ? "up" : diff < 0 ? "down" : "flat";
  const tone = direction === "flat" ? "flat" : (direction === "up") === higherIsBetter ? "up" : "down";
  const arrow = direction === "up" ? "↑" : direction === "down" ? "↓" : "→";
  const word = direction === "up" ? "up" : direction === "down" ? "down" : "no change";
  if (direction === "flat") return { direction, tone, text: `${arrow} no change` };
  if (kind === "rate") {
    return { direction, tone, text: `${arrow} ${word} ${Math.abs(diff * 100).toFixed(1)} pts` };
  }
  if (previous === 0) return { direction, tone, text: `${arrow} ${word} from zero` };
  const pct = Math.abs((diff / Math.abs(previous)) * 100);
  return { direction, tone, text: `${arrow} ${word} ${pct.toFixed(1)}%` };
}
