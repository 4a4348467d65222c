import { rebuildDirtyDays } from "../analytics/index.ts";
import { dataQualityChecksJob } from "../monitoring/index.ts";
import { expirePendingOrders } from "../orders/index.ts";
import { webhookRedriveJob } from "../payments/jobs.ts";
import { refundRequestRetryJob } from "../payments/refunds/retry.ts";
import { resolveDiscountsJob } from "../payments/resolve-discounts.ts";
import type { Job } from "./registry.ts";

/** Every scheduled job the worker runs; each domain adds its own entry here. */
export const ALL_JOBS: Job[] = [
  {
    name: "snapshots.rebuild-dirty",
    schedule: "* * * * *",
    description:
      "Rebuild the snapshots of reporting days marked dirty by new payments, orders and subscription events",
    run: rebuildDirtyDays,
  },
  {
    name: "orders.expire-pending",
    schedule: "*/5 * * * *",
    description:
      "Cancel pending orders older than PENDING_ORDER_TTL_MINUTES and release their reserved stock",
    run: expirePendingOrders,
  },
  dataQualityChecksJob,
  webhookRedriveJob,
  refundRequestRetryJob,
  resolveDiscountsJob,
];
