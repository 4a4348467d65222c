import { upsertRefund } from "../../ledger/refunds.ts";
import { readRefund } from "../readers/refund.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** refund.created / refund.updated / charge.refund.updated: one ledger row per refund id. */
export const onRefund: EventHandler = async ({ ctx, tx, event }) => {
  await upsertRefund(ctx, tx, readRefund(event.data.object), eventCreated(event), event.livemode);
};
