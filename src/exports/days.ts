import { addDays, dayOf, eachDay, startOfDay } from "../analytics/core/periods.ts";

/**
 * Cuts instants into reporting days of one period. The boundaries come from `startOfDay` (the same
 * arithmetic as the KPIs), computed once, so a million rows cost a binary search each, not an Intl call.
 */
export class ReportingDays {
  readonly days: string[];
  /** boundaries[i] is the first instant of days[i]; the last entry is the end of the period. */
  readonly boundaries: Date[];
  private readonly times: number[];

  constructor(
    from: string,
    to: string,
    readonly timezone: string,
  ) {
    this.days = eachDay(from, to);
    this.boundaries = [...this.days, addDays(to, 1)].map((day) => startOfDay(day, timezone));
    this.times = this.boundaries.map((d) => d.getTime());
  }

  get start(): Date {
    return this.boundaries[0]!;
  }

  get end(): Date {
    return this.boundaries[this.boundaries.length - 1]!;
  }

  /** The reporting day of an instant (outside the period it falls back to the time-zone lookup). */
  dayOf(instant: Date): string {
    const t = instant.getTime();
    const times = this.times;
    if (t < times[0]! || t >= times[times.length - 1]!) return dayOf(instant, this.timezone);
    let lo = 0;
    let hi = times.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= t) lo = mid;
      else hi = mid;
    }
    return this.days[lo]!;
  }
}
