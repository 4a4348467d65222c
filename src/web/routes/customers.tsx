import type { Context } from "hono";
import { dayOf } from "../../analytics/core/periods.ts";
import type { AppContext } from "../../context.ts";
import { NotFoundError, ValidationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validate.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { loadCustomerProfile } from "../views/customers/load-profile.ts";
import { CustomerProfileView } from "../views/customers/profile.tsx";
import { Layout } from "../views/layout.tsx";
import { searchQuerySchema } from "../views/search/query.ts";
import { SearchResultsView } from "../views/search/results.tsx";
import { runSearch } from "../views/search/run-search.ts";
import { idParam } from "./shop-input.ts";

function page(c: Context<AppEnv>, title: string, body: unknown, status: 200 | 400 = 200, charts = false) {
  return c.html(
    <Layout
      title={title}
      user={c.get("user")}
      csrfToken={c.get("csrfToken")}
      path={c.req.path}
      charts={charts}
    >
      {body as never}
    </Layout>,
    status,
  );
}

/** Staff pages about customers: the profile (`customers.view`) and the global search (`search.use`). */
export function registerCustomerRoutes(r: Router, ctx: AppContext): void {
  r.get("/customers/:id", "customers.view", async (c) => {
    const id = idParam(c.req.param("id"));
    if (id === null) throw new NotFoundError("Customer");
    const role = c.get("principal")!.role;
    const profile = await loadCustomerProfile(ctx, id, role);
    const today = dayOf(ctx.clock.now(), ctx.config.reportingTimezone);
    return page(
      c,
      profile.identity.name,
      <CustomerProfileView profile={profile} role={role} today={today} />,
      200,
      true,
    );
  });

  r.get("/search", "search.use", async (c) => {
    const raw = c.req.query("q");
    if (raw === undefined || raw.trim() === "")
      return page(c, "Search", <SearchResultsView query="" result={null} />);
    let q: string;
    try {
      ({ q } = parseInput(searchQuerySchema, { q: raw }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const shown = raw.slice(0, 200);
      return page(c, "Search", <SearchResultsView query={shown} result={null} error={err.message} />, 400);
    }
    const result = await runSearch(ctx, q, c.get("principal")!.role);
    if (result.jump) return c.redirect(result.jump, 302);
    return page(c, `Search: ${q}`, <SearchResultsView query={q} result={result} />);
  });
}
