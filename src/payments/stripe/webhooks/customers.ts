import { linkSubscriptionsToCustomer } from "../../../subscriptions/upsert.ts";
import { upsertStripeCustomer } from "../../customers-sync.ts";
import { readCustomer } from "../readers/customer.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** customer.created / customer.updated. */
export const onCustomer: EventHandler = async ({ tx, event }) => {
  const customer = readCustomer(event.data.object);
  const { customerId } = await upsertStripeCustomer(tx, customer, eventCreated(event));
  await linkSubscriptionsToCustomer(tx, customer.id, customerId);
};
