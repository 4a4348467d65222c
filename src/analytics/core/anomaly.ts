/** Scales the MAD to the standard deviation of normally distributed data. */
const MAD_TO_SIGMA = 1.4826;
/** Fewer trailing points than a week gives a median too unstable to judge against. */
export const MIN_TRAILING_POINTS = 7;

/**
 * How unusual `value` is against its trailing window: (value − median) ÷ (1.4826 × MAD).
 * Median and MAD rather than mean and standard deviation, so one earlier spike in the window
 * does not mask the next one.
 *
 * `null` means "cannot judge", not "normal": with fewer than 7 points, or when the MAD is 0. A MAD
 * of 0 happens when most of the window is one repeated value (a shop with no refunds on most days);
 * any other value would then score ±∞, flagging every ordinary non-zero day, so we report no score.
 */
export function robustZ(value: number, trailing: readonly number[]): number | null {
  if (trailing.length < MIN_TRAILING_POINTS) return null;
  const center = median(trailing);
  const mad = median(trailing.map((x) => Math.abs(x - center)));
  if (mad === 0) return null;
  return (value - center) / (MAD_TO_SIGMA * mad);
}

/** True when the robust z-score is beyond `threshold` in either direction; false when it cannot be judged. */
export function isAnomaly(value: number, trailing: readonly number[], threshold = 3): boolean {
  const z = robustZ(value, trailing);
  return z !== null && Math.abs(z) > threshold;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  const lower = sorted[mid - 1] ?? Number.NaN;
  return (lower + upper) / 2;
}
