import { upsertCustomerFromStripe } from "../../../customers/index.ts";
import { linkSubscriptionsToCustomer } from "../../../subscriptions/index.ts";
import { readCustomer } from "../readers/customer.ts";
import { type EventHandler, eventCreated } from "./types.ts";

/** customer.created / customer.updated. */
export const onCustomer: EventHandler = async ({ ctx, tx, event }) => {
  const customer = readCustomer(event.data.object);
  const { customerId } = await upsertCustomerFromStripe({ ...ctx, db: tx }, customer, eventCreated(event), {
    likelyNew: event.type === "customer.created",
  });
  await linkSubscriptionsToCustomer(tx, customer.id, customerId);
};
