import { upsertDispute } from "../../ledger/disputes.ts";
import { readDispute } from "../readers/dispute.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** charge.dispute.created / updated / closed (inquiries and chargebacks alike). */
export const onDispute: EventHandler = async ({ ctx, tx, event }) => {
  await upsertDispute(ctx, tx, readDispute(event.data.object), eventCreated(event));
};
