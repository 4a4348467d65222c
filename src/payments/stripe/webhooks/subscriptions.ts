import { upsertSubscription } from "../../../subscriptions/index.ts";
import { readSubscription } from "../readers/subscription.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** customer.subscription.created / updated / deleted / paused / resumed: one history row each. */
export const onSubscription: EventHandler = async ({ ctx, tx, event, receivedSeq }) => {
  await upsertSubscription({ ...ctx, db: tx }, readSubscription(event.data.object), {
    eventId: event.id,
    eventCreated: eventCreated(event),
    receivedSeq: await receivedSeq(),
  });
};
