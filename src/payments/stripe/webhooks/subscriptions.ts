import { upsertSubscription } from "../../../subscriptions/upsert.ts";
import type { SubscriptionObject } from "../stripe-objects.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** customer.subscription.created / updated / deleted / paused / resumed: one history row each. */
export const onSubscription: EventHandler = async ({ ctx, tx, event, receivedSeq }) => {
  await upsertSubscription(ctx, tx, event.data.object as SubscriptionObject, {
    eventId: event.id,
    eventCreated: eventCreated(event),
    receivedSeq,
  });
};
