import type { Check } from "../types.ts";
import { apiVersions } from "./api-versions.ts";
import { chargeRefunds } from "./charge-refunds.ts";
import { fulfillmentBacklog } from "./fulfillment-backlog.ts";
import { fxRates } from "./fx-rates.ts";
import { paymentReconciliation } from "./payment-reconciliation.ts";
import { refundReconciliation } from "./refund-reconciliation.ts";
import { revenueAnomaly } from "./revenue-anomaly.ts";
import { snapshotReconciliation } from "./snapshot-reconciliation.ts";
import { staleSnapshots } from "./stale-snapshots.ts";
import { stockIntegrity } from "./stock-integrity.ts";
import { subscriptionSanity } from "./subscription-sanity.ts";
import { unresolvedDiscounts } from "./unresolved-discounts.ts";
import { webhookHealth } from "./webhook-health.ts";

/** Every data-quality check, in the order `checks run` runs them. One module per check. */
export const CHECKS: readonly Check[] = [
  refundReconciliation,
  chargeRefunds,
  paymentReconciliation,
  webhookHealth,
  apiVersions,
  stockIntegrity,
  fulfillmentBacklog,
  subscriptionSanity,
  unresolvedDiscounts,
  revenueAnomaly,
  staleSnapshots,
  snapshotReconciliation,
  fxRates,
];
