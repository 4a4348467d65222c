import type { Job } from "../jobs/registry.ts";
import { replayFailed } from "./replay.ts";

/** Re-drives failed webhook events whose backoff (`next_attempt_at`) has passed, and stuck ones. */
export const webhookRedriveJob: Job = {
  name: "stripe-webhook-redrive",
  schedule: "* * * * *",
  description: "Retry failed Stripe webhook events with backoff (1 min, 5 min, 30 min, 2 h, then 12 h)",
  run: async (ctx) => (await replayFailed(ctx, { due: true, limit: 200 })).attempted,
};
