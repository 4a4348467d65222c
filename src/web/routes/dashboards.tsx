import type { Context } from "hono";
import { dayOf } from "../../analytics/core/periods.ts";
import type { AppContext } from "../../context.ts";
import type { AppEnv } from "../env.ts";
import type { Router } from "../router.ts";
import { ExecutivePage } from "../views/dashboards/executive.tsx";
import { loadExecutive } from "../views/dashboards/load-executive.ts";
import { parseRange } from "../views/dashboards/range.ts";

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
}
