import type { ChargeRow } from "../../payments/ledger/charges.ts";
import type { ChargeObject } from "../../payments/stripe/stripe-objects.ts";
import type { StripeFactory } from "./event-factory.ts";

/**
 * The Stripe charge object behind a stored charge, as the offline simulator sends it again in a
 * later event (a refund, a dispute). `amountRefunded` is the cumulative amount after that event.
 */
export function chargeObjectFromRow(
  f: StripeFactory,
  row: ChargeRow,
  amountRefunded = row.amountRefunded,
): ChargeObject {
  return f.makeCharge({
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    customer: row.stripeCustomerId,
    paymentIntent: row.paymentIntentId,
    invoice: row.invoiceId,
    metadata: row.metadata as Record<string, string>,
    created: Math.floor(row.created.getTime() / 1000),
    amountRefunded,
    livemode: row.livemode,
  });
}
