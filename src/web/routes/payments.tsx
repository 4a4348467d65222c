import type { Context } from "hono";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { replayEvent } from "../../flows/index.ts";
import { completeOfflineCheckout, getOfflineSession, type OfflineSession } from "../../offline/index.ts";
import { getShippingAddress, saveShippingAddress } from "../../orders/index.ts";
import { NotFoundError, ValidationError } from "../../shared/errors.ts";
import { formatMoney } from "../../shared/money.ts";
import { parseInput } from "../../shared/validate.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { Layout } from "../views/layout.tsx";
import { AddressFields, type AddressFormState } from "../views/shop/address-fields.tsx";

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

/** The simulator's pay page: the amount, the shipping address form (as Stripe Checkout collects it), pay or decline. */
function payPage(
  c: Context<AppEnv>,
  session: OfflineSession,
  links: { success: string; cancel: string },
  address: AddressFormState,
  status: 200 | 400 = 200,
) {
  const csrf = c.get("csrfToken");
  const due = formatMoney(session.amount, session.currency);
  return c.html(
    <Layout title="Pay (test mode)" user={c.get("user")} csrfToken={csrf}>
      <link rel="stylesheet" href="/assets/shop.css" />
      <div class="page-head">
        <h1>Pay for order {session.orderNumber}</h1>
      </div>
      <section class="panel narrow-wide">
        <p class="alert alert-warn">
          Offline payments: this simulator plays Stripe Checkout. No card is charged.
        </p>
        <p>
          Amount due: <strong class="num">{due}</strong>
        </p>
        {session.status === "pending" ? (
          <>
            <form method="post" action={`/checkout/offline/${session.sessionId}/pay`} class="form">
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="next" value={links.success} />
              <input type="hidden" name="cancel" value={links.cancel} />
              <AddressFields state={address} />
              <button class="button primary" type="submit">
                Pay {due}
              </button>
            </form>
            <form method="post" action={`/checkout/offline/${session.sessionId}/decline`} class="form inline">
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="next" value={links.cancel} />
              <button class="button danger" type="submit">
                Decline the card
              </button>
            </form>
          </>
        ) : (
          <p class="muted">This order is {session.status}.</p>
        )}
      </section>
    </Layout>,
    status,
  );
}

const ADDRESS_FIELDS = ["name", "line1", "line2", "city", "state", "postalCode", "country"] as const;

function addressValues(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(ADDRESS_FIELDS.map((k) => [k, typeof body[k] === "string" ? body[k] : ""]));
}

/** The offline simulator's Checkout page: pay (with a shipping address) or decline, signed events through the webhook path. */
function registerOfflineCheckoutRoutes(r: Router, ctx: AppContext): void {
  r.get("/checkout/offline/:sessionId", "shop.buy", async (c) => {
    const session = await ownSession(c, ctx);
    const links = {
      success: localPath(c.req.query("success"), "/"),
      cancel: localPath(c.req.query("cancel"), "/"),
    };
    // A buyer coming back to pay again finds the address they gave; a first visit starts with their name.
    const saved = await getShippingAddress(ctx, session.orderId);
    const values: Record<string, string> = saved
      ? addressValues({ ...saved })
      : { name: c.get("user")?.displayName ?? "", country: "US" };
    return payPage(c, session, links, { values });
  });

  r.post("/checkout/offline/:sessionId/pay", "shop.buy", async (c) => {
    const session = await ownSession(c, ctx);
    const body = await c.req.parseBody();
    const values = addressValues(body);
    if (session.status === "pending") {
      try {
        await saveShippingAddress(ctx, session.orderId, values, "offline_checkout");
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const links = { success: localPath(body.next, "/"), cancel: localPath(body.cancel, "/") };
        const error = { field: err.field ?? null, message: err.message.replace(/^\w+: /, "") };
        return payPage(c, session, links, { values, error }, 400);
      }
      await completeOfflineCheckout(ctx, session.sessionId, "pay");
    }
    return c.redirect(localPath(body.next, "/"), 303);
  });

  r.post("/checkout/offline/:sessionId/decline", "shop.buy", async (c) => {
    const session = await ownSession(c, ctx);
    const body = await c.req.parseBody();
    await completeOfflineCheckout(ctx, session.sessionId, "decline");
    return c.redirect(localPath(body.next, "/"), 303);
  });
}
