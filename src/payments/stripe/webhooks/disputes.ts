import { upsertDispute } from "../../ledger/disputes.ts";
import type { DisputeObject } from "../stripe-objects.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** charge.dispute.created / updated / closed. */
export const onDispute: EventHandler = async ({ ctx, tx, event }) => {
  await upsertDispute(ctx, tx, event.data.object as DisputeObject, eventCreated(event));
};
