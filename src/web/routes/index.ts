import type { AppContext } from "../../context.ts";
import type { Router } from "../router.ts";
import { registerAuthRoutes } from "./auth.ts";
import { registerMonitoringRoutes } from "./monitoring.tsx";
import { registerSystemRoutes } from "./system.ts";
import { registerWebhookRoutes } from "./webhooks.ts";

/** Every area registers its routes here, each with its access rule (see router.ts). */
export const AREAS: Array<(r: Router, ctx: AppContext) => void> = [registerSystemRoutes, registerAuthRoutes,
  registerWebhookRoutes,
  registerMonitoringRoutes,
];
