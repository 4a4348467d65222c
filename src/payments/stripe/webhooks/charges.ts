import { upsertCharge } from "../../ledger/charges.ts";
import { readCharge } from "../readers/charge.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/**
 * charge.succeeded / failed / refunded / updated / captured / expired: the charge as Stripe now
 * sees it (captured amount, refunded amount, embedded refunds when the payload carries them).
 */
export const onCharge: EventHandler = async ({ ctx, tx, event }) => {
  await upsertCharge(ctx, tx, readCharge(event.data.object), eventCreated(event));
};
