/**
 * A realistic Stripe event stream for load, fault and property tests: customers, card payments
 * (`payment_intent.succeeded` + `charge.succeeded`), partial and full refunds (`refund.created` +
 * `charge.refunded`, the real pair), and subscriptions (created, upgraded, canceled) with their
 * renewal invoices (`invoice.paid` + `charge.succeeded` with `invoice` set). Deterministic per seed.
 * Events are in the order Stripe would create them; their `created` spreads over `days` days.
 */
import {
  createStripeFactory,
  type StripeEventObject,
  type StripeFactory,
} from "../../src/offline/objects/event-factory.ts";
import { signEvent } from "../../src/payments/stripe/sign.ts";
import { seededRandom } from "../../src/shared/seeded-random.ts";

export interface StreamOptions {
  seed?: number;
  /** Roughly how many events to build (the stream stops at the first whole story past it). */
  events: number;
  /** First event time; default 2026-05-01T08:00Z. */
  start?: Date;
  /** Days the stream spans; default 30. */
  days?: number;
}

type Story = (f: StripeFactory, rand: () => number) => StripeEventObject[];

const payment: Story = (f, rand) => {
  const customer = f.makeCustomer({ email: null, name: null });
  const amount = 500 + Math.floor(rand() * 200) * 100;
  const { charge, paymentIntent } = f.makePayment({ amount, customer: customer.id });
  const events: StripeEventObject[] = [
    f.makeEvent("customer.created", customer),
    f.makeEvent("payment_intent.succeeded", paymentIntent),
    f.makeEvent("charge.succeeded", charge),
  ];
  const r = rand();
  if (r < 0.25) {
    // A partial refund, sometimes followed by the rest (full refund).
    f.advance(3600);
    const first = f.applyRefund(charge, { amount: Math.floor(amount / 4) });
    events.push(f.makeEvent("refund.created", first.refund));
    events.push(
      f.makeEvent("charge.refunded", first.charge, { previousAttributes: first.previousAttributes }),
    );
    if (r < 0.1) {
      f.advance(3600);
      const rest = f.applyRefund(first.charge);
      events.push(f.makeEvent("refund.created", rest.refund));
      events.push(
        f.makeEvent("charge.refunded", rest.charge, { previousAttributes: rest.previousAttributes }),
      );
    }
  }
  return events;
};

const PLANS = [
  { unit_amount: 900, recurring: { interval: "month" as const } },
  { unit_amount: 2900, recurring: { interval: "month" as const } },
  { unit_amount: 29900, recurring: { interval: "year" as const } },
];

const subscription: Story = (f, rand) => {
  const customer = f.makeCustomer({ email: null, name: null });
  const plan = PLANS[Math.floor(rand() * PLANS.length)]!;
  const price = f.makePrice(plan);
  const sub = f.makeSubscription({ customer: customer.id, items: [{ price }] });
  const invoice = f.makeInvoice({ subscription: sub, status: "paid", billingReason: "subscription_create" });
  const charge = f.makeCharge({
    amount: invoice.amount_paid,
    customer: customer.id,
    invoice: invoice.id,
    id: typeof invoice.charge === "string" ? invoice.charge : undefined,
  });
  const events: StripeEventObject[] = [
    f.makeEvent("customer.created", customer),
    f.makeEvent("customer.subscription.created", sub),
    f.makeEvent("invoice.paid", invoice),
    f.makeEvent("charge.succeeded", charge),
  ];
  const r = rand();
  if (r < 0.3) {
    f.advance(7200);
    const upgraded = f.makeSubscription({
      id: sub.id,
      customer: customer.id,
      created: sub.created,
      start_date: sub.start_date,
      items: [{ price, quantity: 2 }],
    });
    events.push(
      f.makeEvent("customer.subscription.updated", upgraded, { previousAttributes: { quantity: 1 } }),
    );
  } else if (r < 0.45) {
    f.advance(7200);
    const now = f.now();
    const ended = f.makeSubscription({
      id: sub.id,
      customer: customer.id,
      created: sub.created,
      start_date: sub.start_date,
      items: [{ price }],
      status: "canceled",
      canceled_at: now,
      ended_at: now,
    });
    events.push(f.makeEvent("customer.subscription.deleted", ended));
  }
  return events;
};

/** Builds the stream: 4 payment stories for each subscription story, until `events` is reached. */
export function buildEventStream(options: StreamOptions): StripeEventObject[] {
  const start = options.start ?? new Date("2026-05-01T08:00:00Z");
  const days = options.days ?? 30;
  const f = createStripeFactory({ seed: options.seed ?? 1, now: start });
  const rand = seededRandom(options.seed ?? 1);
  const events: StripeEventObject[] = [];
  // Spread stories evenly so the stream covers `days` days whatever its length.
  const approxStories = Math.max(1, Math.ceil(options.events / 4));
  const step = Math.floor((days * 86_400) / approxStories);
  for (let i = 0; events.length < options.events; i++) {
    f.setNow(new Date(start.getTime() + i * step * 1000));
    events.push(...(i % 5 === 4 ? subscription(f, rand) : payment(f, rand)));
  }
  return events;
}

export interface SignedDelivery {
  id: string;
  payload: string;
  header: string;
}

/** Signs each event now (or at `timestamp`, unix seconds) with the given webhook secret. */
export function signAll(events: StripeEventObject[], secret: string, timestamp?: number): SignedDelivery[] {
  return events.map((e) => ({ id: e.id, ...signEvent(e, secret, timestamp) }));
}
