import { and, asc, eq, lte } from "drizzle-orm";
import type { AppContext } from "../../context.ts";
import type { Job } from "../../jobs/registry.ts";
import type { PaymentProvider } from "../provider.ts";
import { refundRequests } from "./schema.ts";
import { completeRefundRequest } from "./service.ts";

/** Longer than a provider call can take (the Stripe client's timeout), so a live caller is not raced. */
export const STALE_REQUEST_MS = 5 * 60_000;

/**
 * Sends again the refund requests left pending (the caller crashed, or the provider did not answer),
 * with their own idempotency key: the provider answers with the refund it made, or makes it now.
 * Returns how many were recorded; one that fails again stays pending for the next run.
 */
export async function retryRefundRequests(ctx: AppContext, provider?: PaymentProvider): Promise<number> {
  const staleBefore = new Date(ctx.clock.now().getTime() - STALE_REQUEST_MS);
  const pending = await ctx.db
    .select()
    .from(refundRequests)
    .where(and(eq(refundRequests.status, "pending"), lte(refundRequests.updated, staleBefore)))
    .orderBy(asc(refundRequests.created))
    .limit(100);
  let recorded = 0;
  for (const request of pending) {
    try {
      await completeRefundRequest(ctx, request, provider);
      recorded++;
    } catch (err) {
      ctx.logger.warn({ requestId: request.id, err: (err as Error).message }, "refund request retry failed");
    }
  }
  return recorded;
}

export const refundRequestRetryJob: Job = {
  name: "payments.refund-requests",
  schedule: "* * * * *",
  description: "Send again refund requests the provider did not answer (same idempotency key: refunded once)",
  run: (ctx) => retryRefundRequests(ctx),
};
