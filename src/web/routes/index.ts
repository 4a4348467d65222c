import type { AppContext } from "../../context.ts";
import type { Router } from "../route-access.ts";
import { registerAdminCommerceRoutes } from "./admin-commerce.tsx";
import { registerApiRoutes } from "./api.ts";
import { registerAuditRoutes } from "./audit.tsx";
import { registerAuthRoutes } from "./auth.ts";
import { registerCustomerRoutes } from "./customers.tsx";
import { registerDashboardRoutes } from "./dashboards.tsx";
import { registerDocsRoutes } from "./docs.tsx";
import { registerExportsRoutes } from "./exports.tsx";
import { registerMonitoringRoutes } from "./monitoring.tsx";
import { registerPaymentRoutes } from "./payments.tsx";
import { registerProductImageRoutes } from "./product-images.ts";
import { registerRecordsRoutes } from "./records.tsx";
import { registerShopRoutes } from "./shop.tsx";
import { registerSignUpRoutes } from "./signup.tsx";
import { registerSnapshotRoutes } from "./snapshots.tsx";
import { registerSystemRoutes } from "./system.ts";
import { registerUsersRoutes } from "./users.tsx";
import { registerWebhookEventRoutes } from "./webhook-events.tsx";
import { registerWebhookRoutes } from "./webhooks.ts";

/** Every area registers its routes here, each with its access rule (see router.ts). */
export const AREAS: Array<(r: Router, ctx: AppContext) => void> = [
  registerSystemRoutes,
  registerAuthRoutes,
  registerSignUpRoutes,
  registerAuditRoutes,
  registerUsersRoutes,
  registerDocsRoutes,
  registerDashboardRoutes,
  registerWebhookRoutes,
  registerWebhookEventRoutes,
  registerMonitoringRoutes,
  registerSnapshotRoutes,
  registerExportsRoutes,
  registerApiRoutes,
  registerRecordsRoutes,
  registerShopRoutes,
  registerAdminCommerceRoutes,
  registerProductImageRoutes,
  registerPaymentRoutes,
  registerCustomerRoutes,
];
