import { linkSubscriptionsToCustomer } from "../../../subscriptions/upsert.ts";
import { upsertStripeCustomer } from "../../customers-sync.ts";
import type { CustomerObject } from "../stripe-objects.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** customer.created / customer.updated. */
export const onCustomer: EventHandler = async ({ tx, event }) => {
  const customer = event.data.object as CustomerObject;
  const { customerId } = await upsertStripeCustomer(tx, customer, eventCreated(event));
  await linkSubscriptionsToCustomer(tx, customer.id, customerId);
};
