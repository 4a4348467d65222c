import { upsertCharge } from "../../ledger/charges.ts";
import type { ChargeObject } from "../stripe-objects.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** charge.succeeded / failed / refunded / updated / captured: the charge as Stripe now sees it. */
export const onCharge: EventHandler = async ({ ctx, tx, event }) => {
  await upsertCharge(ctx, tx, event.data.object as ChargeObject, eventCreated(event));
};
