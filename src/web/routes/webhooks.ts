import type { Context } from "hono";
import type { AppContext } from "../../context.ts";
import { receiveWebhook } from "../../payments/inbox/receive.ts";
import { MAX_WEBHOOK_BYTES, WebhookError } from "../../payments/stripe/sign.ts";
import type { AppEnv } from "../env.ts";
import type { Router } from "../router.ts";

function reject(c: Context<AppEnv>, code: string, message: string) {
  // Always 400 (even for size): Stripe treats any 4xx as a failed delivery; the reason helps ops.
  return c.json({ error: { code, message } }, 400);
}

/** POST /webhooks/stripe: raw body, signature check, inbox, processing (see payments/inbox). */
export function registerWebhookRoutes(r: Router, _ctx: AppContext): void {
  r.post("/webhooks/stripe", "public", async (c) => {
    const ctx = c.get("ctx");
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > MAX_WEBHOOK_BYTES)
      return reject(c, "webhook.too_large", "Webhook payload is larger than 1 MiB");
    let body: Uint8Array | null;
    try {
      body = await readAtMost(c.req.raw, MAX_WEBHOOK_BYTES);
    } catch {
      return reject(c, "webhook.unreadable_body", "Could not read the request body");
    }
    if (body === null) return reject(c, "webhook.too_large", "Webhook payload is larger than 1 MiB");
    try {
      const result = await receiveWebhook(ctx, body, c.req.header("stripe-signature"));
      return c.json({ received: true, duplicate: result.duplicate, status: result.outcome }, 200);
    } catch (err) {
      if (err instanceof WebhookError) return reject(c, err.code, err.message);
      throw err;
    }
  });
}

/**
 * The request body, or `null` as soon as it passes `max` bytes: reading stops there, so a body sent in
 * chunks with no Content-Length (which the length check above cannot see) is never held whole.
 */
async function readAtMost(request: Request, max: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
