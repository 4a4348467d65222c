import type { Permission } from "../auth/index.ts";
import { dimCustomerFile, dimDateFile, dimProductFile } from "./bi-dimensions.ts";
import { factOrderLineFile, factPaymentFile, factRefundFile } from "./bi-facts.ts";
import { factSubscriptionMrrDailyFile } from "./bi-mrr-daily.ts";
import { invoicesFile, subscriptionsFile } from "./finance-billing.ts";
import { disputesFile, paymentsFile, refundsFile } from "./finance-ledger.ts";
import { orderLinesFile, ordersFile } from "./finance-orders.ts";
import { fxRatesFile } from "./fx-rates.ts";
import { dataQualityIssuesFile, failedWebhookEventsFile, unfulfilledOrdersFile } from "./ops.ts";
import type { PackFile, PackName } from "./pack.ts";
import { revenueSummaryFile } from "./revenue-summary.ts";

/** Each pack's files, in the order they are written (manifest.json comes last). */
export const PACK_FILES: Record<PackName, readonly PackFile[]> = {
  finance: [
    ordersFile,
    orderLinesFile,
    paymentsFile,
    refundsFile,
    disputesFile,
    revenueSummaryFile,
    fxRatesFile,
    subscriptionsFile,
    invoicesFile,
  ],
  ops: [unfulfilledOrdersFile, dataQualityIssuesFile, failedWebhookEventsFile],
  bi: [
    factOrderLineFile,
    factPaymentFile,
    factRefundFile,
    factSubscriptionMrrDailyFile,
    fxRatesFile,
    dimDateFile,
    dimCustomerFile,
    dimProductFile,
  ],
};

/** The RBAC permission each pack needs (policy.ts); PII columns need `exports.pii` on top. */
export const PACK_PERMISSION: Record<PackName, Permission> = {
  finance: "exports.finance",
  ops: "exports.ops",
  bi: "exports.bi",
};
