import type { Context } from "hono";
import { z } from "zod";
import { addDays, dayOf } from "../../analytics/core/periods.ts";
import { buildSnapshots, snapshotStatus } from "../../analytics/index.ts";
import type { AppContext } from "../../context.ts";
import { daySchema } from "../../shared/dates.ts";
import { ValidationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validate.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { SnapshotsPage, type SnapshotsPageProps } from "../views/admin/snapshots.tsx";
import { peopleOf } from "../views/components/actor.ts";

const blankAsUndefined = (v: unknown) => (v === "" ? undefined : v);
/** An issue's link may name the days to rebuild; anything else falls back to the last 30 days. */
const prefillQuery = z.object({
  from: z.preprocess(blankAsUndefined, daySchema.optional()),
  to: z.preprocess(blankAsUndefined, daySchema.optional()),
});
const rebuildForm = z.object({ from: daySchema, to: daySchema });

type Extra = Pick<SnapshotsPageProps, "result" | "error"> & { from?: string; to?: string };

async function render(c: Context<AppEnv>, ctx: AppContext, extra: Extra, status: 200 | 400 = 200) {
  const today = dayOf(ctx.clock.now(), ctx.config.reportingTimezone);
  const state = await snapshotStatus(ctx);
  const people = await peopleOf(
    ctx,
    state.recent.map((b) => ({ type: b.actorType, id: b.actorId })),
  );
  return c.html(
    <SnapshotsPage
      user={c.get("user")}
      csrfToken={c.get("csrfToken")}
      status={state}
      people={people}
      timezone={ctx.config.reportingTimezone}
      {...extra}
      from={extra.from ?? addDays(today, -29)}
      to={extra.to ?? today}
    />,
    status,
  );
}

/** `/admin/snapshots`: what the snapshots cover, what waits for the worker, and a rebuild of a range. */
export function registerSnapshotRoutes(r: Router, ctx: AppContext): void {
  r.get("/admin/snapshots", "snapshots.rebuild", (c) => {
    const query = prefillQuery.safeParse(c.req.query());
    return render(c, ctx, query.success ? query.data : {});
  });

  r.post("/admin/snapshots/rebuild", "snapshots.rebuild", async (c) => {
    const body = await c.req.parseBody();
    const typed = { from: String(body.from ?? ""), to: String(body.to ?? "") };
    try {
      const range = parseInput(rebuildForm, typed);
      const started = performance.now();
      const result = await buildSnapshots(ctx, range, actorFrom(c));
      return render(c, ctx, { ...range, result: { ...range, ...result, ms: performance.now() - started } });
    } catch (err) {
      // A bad day or range re-renders the form with what was typed and the field named.
      if (!(err instanceof ValidationError)) throw err;
      return render(c, ctx, { ...typed, error: { field: err.field ?? null, message: err.message } }, 400);
    }
  });
}
