import { systemActor } from "../audit/index.ts";
import type { Job } from "../jobs/registry.ts";
import { replayFailed } from "./replay.ts";

/**
 * Re-drives failed webhook events whose backoff (`next_attempt_at`) has passed, and stuck ones.
 * Each re-driven event is audited as `webhook.replay` by the system actor.
 */
export const webhookRedriveJob: Job = {
  name: "stripe-webhook-redrive",
  schedule: "* * * * *",
  description: "Retry failed Stripe webhook events with backoff (1 min, 5 min, 30 min, 2 h, then 12 h)",
  run: async (ctx) => (await replayFailed(ctx, systemActor, { due: true, limit: 200 })).attempted,
};
