import type { MrrMovements } from "../core/movements.ts";

/** The subscription part of the `kpis` JSON for one period and currency. */
export interface MrrPeriod {
  mrrStart: number;
  subscribersStart: number;
  mrrEnd: number;
  subscribersEnd: number;
  activeSubscriptions: number;
  movements: MrrMovements;
  churnedCustomers: number;
}
