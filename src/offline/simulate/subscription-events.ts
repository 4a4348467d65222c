import type {
  PriceObject,
  StripeEventObject,
  SubscriptionObject,
} from "../../payments/stripe/stripe-objects.ts";
import type { SubscriptionInput } from "../objects/billing-objects.ts";
import type { StripeFactory } from "../objects/event-factory.ts";

/**
 * The next version of a simulated subscription: the same id, item, customer, period and trial, on
 * `item`'s plan and seats, with `changes` (a new period, a status, a cancellation) on top.
 */
export function reviseSubscription(
  f: StripeFactory,
  sub: SubscriptionObject,
  item: { price: PriceObject; quantity: number },
  changes: Partial<SubscriptionInput> = {},
): SubscriptionObject {
  return f.makeSubscription({
    id: sub.id,
    customer: sub.customer,
    created: sub.created,
    items: [{ id: sub.items.data[0]!.id, price: item.price, quantity: item.quantity }],
    current_period_start: sub.current_period_start,
    current_period_end: sub.current_period_end,
    trial_start: sub.trial_start,
    trial_end: sub.trial_end,
    ...changes,
  });
}

/**
 * Bills a subscription as Stripe does: invoice.paid, preceded by charge.succeeded when the invoice
 * collected money. Returns the amount charged.
 */
export async function billSubscription(
  f: StripeFactory,
  post: (event: StripeEventObject) => Promise<unknown>,
  sub: SubscriptionObject,
  reason: "subscription_create" | "subscription_cycle",
): Promise<number> {
  const invoice = f.makeInvoice({ subscription: sub, status: "paid", billingReason: reason });
  let charged = 0;
  if (invoice.amount_paid > 0 && invoice.charge) {
    const charge = f.makeCharge({
      id: invoice.charge,
      amount: invoice.amount_paid,
      // The invoice's currency (a EUR plan is charged in EUR).
      currency: invoice.currency,
      customer: sub.customer,
      invoice: invoice.id,
      paymentIntent: invoice.payment_intent,
    });
    await post(f.makeEvent("charge.succeeded", charge));
    charged = invoice.amount_paid;
  }
  await post(f.makeEvent("invoice.paid", invoice));
  return charged;
}
