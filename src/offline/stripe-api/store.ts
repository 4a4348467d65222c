/** What the fake Stripe API keeps between requests, and what its handlers get from the server. */
import type {
  BalanceTransactionObject,
  ChargeObject,
  CheckoutSessionObject,
  CustomerObject,
  DisputeObject,
  InvoiceObject,
  PaymentIntentObject,
  PriceObject,
  RefundObject,
  StripeEventObject,
  SubscriptionObject,
} from "../../payments/stripe/stripe-objects.ts";
import type { Clock } from "../../shared/clock.ts";
import type { StripeFactory } from "../objects/event-factory.ts";
import type { ParamObject } from "./http.ts";

export interface CheckoutLineItem {
  id: string;
  object: "item";
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  price: PriceObject;
  quantity: number;
}

/** Everything the fake knows, by id; tests may read and change it between requests. */
export interface FakeStripeStore {
  customers: Map<string, CustomerObject>;
  charges: Map<string, ChargeObject>;
  refunds: Map<string, RefundObject>;
  disputes: Map<string, DisputeObject>;
  paymentIntents: Map<string, PaymentIntentObject>;
  checkoutSessions: Map<string, CheckoutSessionObject>;
  prices: Map<string, PriceObject>;
  subscriptions: Map<string, SubscriptionObject>;
  invoices: Map<string, InvoiceObject>;
  balanceTransactions: Map<string, BalanceTransactionObject>;
  events: Map<string, StripeEventObject>;
  /** Line items of each Checkout Session, by session id. */
  checkoutLineItems: Map<string, CheckoutLineItem[]>;
}

type StoreKey = Exclude<keyof FakeStripeStore, "checkoutLineItems">;

export type FakeStripeSeed = {
  [K in StoreKey]?: FakeStripeStore[K] extends Map<string, infer V> ? V[] : never;
};

export interface FakeStripeOptions {
  /** Seed of the ids the fake makes (refunds, sessions, events); keep it apart from the test's own. */
  seed?: number | string;
  /** When set, only these keys are accepted; otherwise any well-formed `sk_`/`rk_` key is. */
  apiKeys?: string[];
  clock?: Clock;
  livemode?: boolean;
  /** Called with each event the fake raises (refund.created, charge.refunded), as a webhook would be. */
  onEvent?: (event: StripeEventObject) => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: ParamObject;
  body: ParamObject;
  apiKey: string | null;
  stripeVersion: string | null;
  idempotencyKey: string | null;
}

/** What the write handlers get from the server. */
export interface FakeContext {
  store: FakeStripeStore;
  factory: StripeFactory;
  baseUrl: string;
  emit(event: StripeEventObject): void;
}
