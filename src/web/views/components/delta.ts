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
 * the words carry the direction, so colour is never the only signal. A rise from zero is "new";
 * a change beyond ±999% is "×N" (N times the previous value), or "now positive/negative" when
 * the sign turned.
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
  if (previous === 0)
    return { direction, tone, text: direction === "up" ? `${arrow} new` : `${arrow} ${word} from zero` };
  const pct = Math.abs((diff / Math.abs(previous)) * 100);
  if (pct <= MAX_PERCENT) return { direction, tone, text: `${arrow} ${word} ${pct.toFixed(1)}%` };
  // Beyond ±999% a percentage is noise ("up 31065.0%"): say how many times the previous value it is,
  // or that the sign turned when it did.
  if (Math.sign(current) !== Math.sign(previous)) {
    return { direction, tone, text: `${arrow} ${word}, ${current > 0 ? "now positive" : "now negative"}` };
  }
  return { direction, tone, text: `${arrow} ${word} ×${times(Math.abs(current / previous))}` };
}

/** The largest change shown as a percentage; larger ones read as "×N". */
export const MAX_PERCENT = 999;

const wholeTimes = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "×11.3", "×312", "×1,204": one decimal below 100. */
function times(ratio: number): string {
  return ratio < 100 ? ratio.toFixed(1) : wholeTimes.format(Math.round(ratio));
}
