import type { MrrMovements } from "../core/movements.ts";
import type { RetentionTotals } from "../core/retention.ts";

/** The subscription part of the `kpis` JSON for one period and currency. */
export interface MrrPeriod {
  mrrStart: number;
  subscribersStart: number;
  mrrEnd: number;
  subscribersEnd: number;
  activeSubscriptions: number;
  movements: MrrMovements;
  /** Sums over the starting customers, for the churn and retention rates. */
  retention: RetentionTotals;
}
