import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppContext } from "../../context.ts";
import { receiveWebhook } from "../../payments/inbox/receive.ts";
import { MAX_WEBHOOK_BYTES, WebhookError } from "../../payments/stripe/sign.ts";
import type { Router } from "../route-access.ts";

function reject(c: Context, code: string, message: string) {
  // Always 400 (even for size): Stripe treats any 4xx as a failed delivery; the reason helps ops.
  return c.json({ error: { code, message } }, 400);
}

/**
 * The webhook's body limit (app.ts applies it to this path instead of the general one): 400, not 413,
 * as Stripe's contract wants; reading stops at 1 MiB, also for a chunked body with no Content-Length.
 */
export const webhookBodyLimit = bodyLimit({
  maxSize: MAX_WEBHOOK_BYTES,
  onError: (c) => reject(c, "webhook.too_large", "Webhook payload is larger than 1 MiB"),
});

/** POST /webhooks/stripe: raw body, signature check, inbox, processing (see payments/inbox). */
export function registerWebhookRoutes(r: Router, _ctx: AppContext): void {
  r.post("/webhooks/stripe", "public", async (c) => {
    const ctx = c.get("ctx");
    let body: ArrayBuffer;
    try {
      body = await c.req.arrayBuffer();
    } catch {
      return reject(c, "webhook.unreadable_body", "Could not read the request body");
    }
    try {
      const result = await receiveWebhook(ctx, new Uint8Array(body), c.req.header("stripe-signature"));
      return c.json({ received: true, duplicate: result.duplicate, status: result.outcome }, 200);
    } catch (err) {
      if (err instanceof WebhookError) return reject(c, err.code, err.message);
      throw err;
    }
  });
}
