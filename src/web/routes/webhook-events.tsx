import { z } from "zod";
import { can } from "../../auth/index.ts";
import type { AppContext } from "../../context.ts";
import { eventFilterSchema, getStripeEvent, listStripeEvents } from "../../payments/events/list.ts";
import { recordsOfEvent } from "../../payments/events/records.ts";
import { parseInput } from "../../shared/validate.ts";
import type { Router } from "../route-access.ts";
import { EventDetailPage, REPLAY_NOTICES } from "../views/webhooks/event-detail.tsx";
import { EventListPage } from "../views/webhooks/event-list.tsx";

const eventParam = z.string().regex(/^evt_\w{1,200}$/, "not an event id");

/** The stored Stripe events (ops, admin): a filtered keyset list and one page per event. */
export function registerWebhookEventRoutes(r: Router, ctx: AppContext): void {
  r.get("/webhooks/events", "webhooks.view", async (c) => {
    const filter = parseInput(eventFilterSchema, c.req.query());
    const page = await listStripeEvents(ctx, filter);
    return c.html(
      <EventListPage user={c.get("user")} csrfToken={c.get("csrfToken")} filter={filter} page={page} />,
    );
  });

  r.get("/webhooks/events/:id", "webhooks.view", async (c) => {
    const event = await getStripeEvent(ctx, parseInput(eventParam, c.req.param("id")));
    const records = await recordsOfEvent(ctx, event);
    return c.html(
      <EventDetailPage
        user={c.get("user")}
        csrfToken={c.get("csrfToken")}
        event={event}
        records={records}
        canReplay={can(c.get("principal")?.role, "webhooks.replay")}
        notice={REPLAY_NOTICES[c.req.query("replayed") ?? ""]}
      />,
    );
  });
}
