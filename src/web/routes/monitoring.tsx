import type { Context } from "hono";
import { z } from "zod";
import { can } from "../../auth/index.ts";
import type { AppContext } from "../../context.ts";
import {
  CHECKS,
  getIssue,
  ISSUE_SEVERITIES,
  ISSUE_STATUSES,
  ignoreIssue,
  listIssues,
  resolveIssue,
} from "../../monitoring/index.ts";
import { getStripeEvent } from "../../payments/events/list.ts";
import { AppError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validate.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { IssueDetailPage } from "../views/monitoring/issue-detail.tsx";
import { IssueListPage } from "../views/monitoring/issue-list.tsx";

// 25 rows keep a phone page a few screens long; the rest is one "Next" away.
const PAGE_SIZE = 25;
const blankAsUndefined = (v: unknown) => (v === "" ? undefined : v);
const listQuery = z.object({
  // No status in the URL shows what needs attention; `all` shows every status.
  status: z.preprocess(blankAsUndefined, z.enum(["all", ...ISSUE_STATUSES]).default("open")),
  check: z.preprocess(
    blankAsUndefined,
    z.enum(CHECKS.map((c) => c.name) as [string, ...string[]]).optional(),
  ),
  severity: z.preprocess(blankAsUndefined, z.enum(ISSUE_SEVERITIES).optional()),
  page: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(10_000).default(1)),
});
const idParam = z.coerce.number().int().positive().max(2_147_483_647);
/** Fixed messages only: nothing from the query string is echoed into the page. */
const NOTICES: Record<string, string> = {
  resolved: "Issue resolved. If the next run still finds the condition, it opens again as a new occurrence.",
  ignored: "Issue ignored. It stays out of the open count while the condition persists.",
};

/**
 * Snapshot issues carry the rebuild command in `details.fix`; admins get a link to the rebuild page
 * with those days filled in (a placeholder such as `<first day>` is left for them to choose).
 */
function rebuildHref(details: Record<string, unknown>): string | undefined {
  const fix = typeof details.fix === "string" ? details.fix : "";
  const m = /^revintel snapshots build --from (.+?) --to (\S+)$/.exec(fix);
  if (!m) return undefined;
  const q = new URLSearchParams();
  for (const [name, value] of [
    ["from", m[1]],
    ["to", m[2]],
  ] as const) {
    if (value && /^\d{4}-\d{2}-\d{2}$/.test(value)) q.set(name, value);
  }
  return `/admin/snapshots?${q}`;
}

async function renderDetail(
  c: Context<AppEnv>,
  ctx: AppContext,
  id: number,
  extra: { notice?: string; error?: string } = {},
  status: 200 | 400 | 409 = 200,
) {
  const issue = await getIssue(ctx, id);
  const user = c.get("user");
  // An issue about a Stripe event shows the event's error (its fix text says "read the error").
  const eventId = typeof issue.details.eventId === "string" ? issue.details.eventId : null;
  const event = eventId ? await getStripeEvent(ctx, eventId).catch(() => undefined) : undefined;
  return c.html(
    <IssueDetailPage
      user={user}
      csrfToken={c.get("csrfToken")}
      issue={issue}
      check={CHECKS.find((k) => k.name === issue.check)}
      canAct={can(c.get("principal")?.role, "monitoring.resolve")}
      rebuildHref={
        can(c.get("principal")?.role, "snapshots.rebuild") ? rebuildHref(issue.details) : undefined
      }
      event={event}
      {...extra}
    />,
    status,
  );
}

function triageRoute(ctx: AppContext, action: "resolve" | "ignore") {
  return async (c: Context<AppEnv>) => {
    const id = parseInput(idParam, c.req.param("id"));
    const body = await c.req.parseBody();
    const input = { id, note: typeof body.note === "string" ? body.note : "" };
    try {
      if (action === "resolve") await resolveIssue(ctx, input, actorFrom(c));
      else await ignoreIssue(ctx, input, actorFrom(c));
    } catch (err) {
      // A missing note or an issue closed meanwhile re-renders the page with the reason.
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      return renderDetail(c, ctx, id, { error: err.message }, err.status as 400 | 409);
    }
    return c.redirect(
      `/monitoring/issues/${id}?notice=${action === "resolve" ? "resolved" : "ignored"}`,
      303,
    );
  };
}

export function registerMonitoringRoutes(r: Router, ctx: AppContext): void {
  r.get("/monitoring/issues", "monitoring.view", async (c) => {
    const q = parseInput(listQuery, c.req.query());
    const filter = {
      status: q.status === "all" ? undefined : q.status,
      check: q.check,
      severity: q.severity,
    };
    const result = await listIssues({ ...ctx, db: ctx.readDb }, filter, {
      page: q.page,
      pageSize: PAGE_SIZE,
    });
    return c.html(
      <IssueListPage
        user={c.get("user")}
        csrfToken={c.get("csrfToken")}
        filter={filter}
        result={result}
        checks={CHECKS}
        canRebuild={can(c.get("principal")?.role, "snapshots.rebuild")}
      />,
    );
  });

  r.get("/monitoring/issues/:id", "monitoring.view", (c) =>
    renderDetail(c, ctx, parseInput(idParam, c.req.param("id")), {
      notice: NOTICES[c.req.query("notice") ?? ""],
    }),
  );

  r.post("/monitoring/issues/:id/resolve", "monitoring.resolve", triageRoute(ctx, "resolve"));
  r.post("/monitoring/issues/:id/ignore", "monitoring.resolve", triageRoute(ctx, "ignore"));
}
