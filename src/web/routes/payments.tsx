import type { Context } from "hono";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { replayEvent } from "../../flows/index.ts";
import { completeOfflineCheckout, getOfflineSession } from "../../offline/index.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { formatMoney } from "../../shared/money.ts";
import { parseInput } from "../../shared/validate.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { Layout } from "../views/layout.tsx";

const sessionParam = z.string().regex(/^cs_(test|live)_\w+$/, "not a checkout session id");
const eventParam = z.string().regex(/^evt_\w+$/, "not an event id");

/** Only a same-site path is followed after paying: an absolute URL keeps just its path. */
function localPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || value === "") return fallback;
  try {
    const url = new URL(value, "http://local.invalid");
    const path = `${url.pathname}${url.search}`;
    return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
  } catch {
    return fallback;
  }
}

async function ownSession(c: Context<AppEnv>, ctx: AppContext) {
  const sessionId = parseInput(sessionParam, c.req.param("sessionId"));
  const session = await getOfflineSession(ctx, sessionId);
  const user = c.get("user");
  if (user?.role === "customer" && user.customerId !== session.customerId)
    throw new NotFoundError("Checkout session");
  return session;
}

export function registerPaymentRoutes(r: Router, ctx: AppContext): void {
  // The simulator's pay page exists only in offline mode: with real payments, only Stripe says paid.
  // Never in production (start-up refuses offline mode there; this holds even if a config slips by).
  if (ctx.config.paymentsMode === "offline" && !ctx.config.production) registerOfflineCheckoutRoutes(r, ctx);

  r.post("/admin/webhooks/:eventId/replay", "webhooks.replay", async (c) => {
    const eventId = parseInput(eventParam, c.req.param("eventId"));
    const body = await c.req.parseBody();
    const outcome = await replayEvent(ctx, eventId, actorFrom(c));
    // From the event's page: back to it, with the outcome as a fixed notice.
    if (body.next === "event") return c.redirect(`/webhooks/events/${eventId}?replayed=${outcome}`, 303);
    return c.html(
      <Layout title="Webhook replay" user={c.get("user")} csrfToken={c.get("csrfToken")}>
        <section class="panel">
          <p class={outcome === "failed" ? "alert alert-error" : "alert alert-ok"}>
            Event {eventId}: {outcome === "skipped" ? "already processed, nothing to do" : outcome}.
          </p>
          <a class="button" href="/monitoring/issues">
            Back
          </a>
        </section>
      </Layout>,
    );
  });
}

/** The offline simulator's Checkout page: pay or decline, signed events through the webhook path. */
function registerOfflineCheckoutRoutes(r: Router, ctx: AppContext): void {
  r.get("/checkout/offline/:sessionId", "shop.buy", async (c) => {
    const session = await ownSession(c, ctx);
    const success = localPath(c.req.query("success"), "/");
    const cancel = localPath(c.req.query("cancel"), "/");
    const csrf = c.get("csrfToken");
    return c.html(
      <Layout title="Pay (test mode)" user={c.get("user")} csrfToken={csrf}>
        <div class="page-head">
          <h1>Pay for order {session.orderNumber}</h1>
        </div>
        <section class="panel">
          <p class="alert alert-warn">
            Offline payments: this simulator plays Stripe Checkout. No card is charged.
          </p>
          <p>
            Amount due: <strong class="num">{formatMoney(session.amount, session.currency)}</strong>
          </p>
          {session.status === "pending" ? (
            <div class="form inline">
              <form method="post" action={`/checkout/offline/${session.sessionId}/pay`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <input type="hidden" name="next" value={success} />
                <button class="button primary" type="submit">
                  Pay {formatMoney(session.amount, session.currency)}
                </button>
              </form>
              <form method="post" action={`/checkout/offline/${session.sessionId}/decline`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <input type="hidden" name="next" value={cancel} />
                <button class="button danger" type="submit">
                  Decline the card
                </button>
              </form>
            </div>
          ) : (
            <p class="muted">This order is {session.status}.</p>
          )}
        </section>
      </Layout>,
    );
  });

  for (const outcome of ["pay", "decline"] as const) {
    r.post(`/checkout/offline/:sessionId/${outcome}`, "shop.buy", async (c) => {
      const session = await ownSession(c, ctx);
      const body = await c.req.parseBody();
      await completeOfflineCheckout(ctx, session.sessionId, outcome);
      return c.redirect(localPath(body.next, "/"), 303);
    });
  }
}
