import { upsertRefund } from "../../ledger/refunds.ts";
import type { RefundObject } from "../stripe-objects.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** refund.created / refund.updated / charge.refund.updated: one ledger row per refund id. */
export const onRefund: EventHandler = async ({ ctx, tx, event }) => {
  await upsertRefund(ctx, tx, event.data.object as RefundObject, eventCreated(event), event.livemode);
};
