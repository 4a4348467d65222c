import type { Context } from "hono";
import { dayOf } from "../../analytics/core/periods.ts";
import { can } from "../../auth/index.ts";
import type { AppContext } from "../../context.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { ExecutivePage } from "../views/dashboards/executive.tsx";
import { loadExecutive } from "../views/dashboards/load-executive.ts";
import { loadOps } from "../views/dashboards/load-ops.ts";
import { loadProducts } from "../views/dashboards/load-products.ts";
import { loadSubscriptions } from "../views/dashboards/load-subscriptions.ts";
import { OpsPage } from "../views/dashboards/ops.tsx";
import { ProductsPage } from "../views/dashboards/products.tsx";
import { parseRange } from "../views/dashboards/range.ts";
import { SubscriptionsPage } from "../views/dashboards/subscriptions.tsx";

/** The range in the query, ending "today" in the reporting time zone. */
function rangeOf(c: Context<AppEnv>, ctx: AppContext) {
  return parseRange(c.req.query(), dayOf(ctx.clock.now(), ctx.config.reportingTimezone));
}

/** Dashboards read snapshots through the analytics API on the read database (replica when set). */
export function registerDashboardRoutes(r: Router, ctx: AppContext): void {
  r.get("/dashboard", "dashboard.executive", async (c) => {
    const data = await loadExecutive(ctx, rangeOf(c, ctx));
    return c.html(<ExecutivePage user={c.get("user")} csrfToken={c.get("csrfToken")} data={data} />);
  });

  r.get("/dashboard/subscriptions", "dashboard.subscriptions", async (c) => {
    const data = await loadSubscriptions(ctx, rangeOf(c, ctx));
    return c.html(<SubscriptionsPage user={c.get("user")} csrfToken={c.get("csrfToken")} data={data} />);
  });

  r.get("/dashboard/products", "dashboard.products", async (c) => {
    const data = await loadProducts(ctx, rangeOf(c, ctx));
    return c.html(<ProductsPage user={c.get("user")} csrfToken={c.get("csrfToken")} data={data} />);
  });

  r.get("/dashboard/ops", "dashboard.ops", async (c) => {
    const data = await loadOps(ctx, rangeOf(c, ctx));
    const canReplay = can(c.get("principal")?.role, "webhooks.replay");
    return c.html(
      <OpsPage user={c.get("user")} csrfToken={c.get("csrfToken")} data={data} canReplay={canReplay} />,
    );
  });
}
