/**
 * Builders for one-off payments: customers, charges, refunds, disputes, payment intents, Checkout
 * Sessions and balance transactions. Defaults follow what Stripe sends for a card payment at
 * 2024-06-20; every default can be overridden by the input.
 */

import type {
  Address,
  BalanceTransactionObject,
  ChargeObject,
  ChargeOutcome,
  ChargeStatus,
  CheckoutSessionObject,
  CustomerObject,
  DisputeObject,
  DisputeStatus,
  Metadata,
  PaymentIntentObject,
  PaymentIntentStatus,
  RefundObject,
  RefundReason,
} from "../../payments/stripe/stripe-objects.ts";
import type { FactoryContext } from "./factory-context.ts";

const DAY = 86_400;
const STATEMENT_DESCRIPTOR = "REVINTEL SHOP";

export interface CustomerInput {
  id?: string;
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  currency?: string | null;
  metadata?: Metadata;
  created?: number;
  livemode?: boolean;
}

export interface ChargeInput {
  id?: string;
  amount: number;
  currency?: string;
  customer?: string | null;
  /** Defaults to a new `pi_` id: today every card charge belongs to a payment intent. */
  paymentIntent?: string | null;
  invoice?: string | null;
  metadata?: Metadata;
  created?: number;
  livemode?: boolean;
  status?: ChargeStatus;
  /** Cumulative, as on the charge; `refunded` becomes true when it reaches `amount`. */
  amountRefunded?: number;
  disputed?: boolean;
  /** Defaults to a new `txn_` id for a succeeded charge, null otherwise. */
  balanceTransaction?: string | null;
  description?: string | null;
  paymentMethod?: string | null;
  receiptEmail?: string | null;
  billingCountry?: string | null;
  failureCode?: string;
  failureMessage?: string;
}

export interface RefundInput {
  id?: string;
  /** The charge object (currency, payment intent and refundable amount come from it) or its id. */
  charge: ChargeObject | string;
  /** Defaults to what is left to refund on a charge object; required with a charge id. */
  amount?: number;
  currency?: string;
  paymentIntent?: string | null;
  /** Default requested_by_customer; null as when the API call gave no reason. */
  reason?: RefundReason | null;
  metadata?: Metadata;
  created?: number;
  status?: RefundObject["status"];
  balanceTransaction?: string | null;
}

export interface DisputeInput {
  id?: string;
  charge: ChargeObject | string;
  /** Defaults to the whole charge amount; required with a charge id. */
  amount?: number;
  currency?: string;
  paymentIntent?: string | null;
  reason?: string;
  status?: DisputeStatus;
  created?: number;
  /** Defaults to a week after `created`, as Stripe gives for card disputes. */
  evidenceDueBy?: number | null;
  balanceTransactions?: BalanceTransactionObject[];
  isChargeRefundable?: boolean;
  metadata?: Metadata;
  livemode?: boolean;
}

export interface PaymentIntentInput {
  id?: string;
  amount: number;
  currency?: string;
  customer?: string | null;
  status?: PaymentIntentStatus;
  /** Defaults to a new `ch_` id once the intent has a charge (succeeded, processing, requires_capture). */
  latestCharge?: string | null;
  invoice?: string | null;
  metadata?: Metadata;
  created?: number;
  livemode?: boolean;
  description?: string | null;
  paymentMethod?: string | null;
  captureMethod?: PaymentIntentObject["capture_method"];
  lastPaymentError?: PaymentIntentObject["last_payment_error"];
}

export interface CheckoutSessionInput {
  id?: string;
  mode?: CheckoutSessionObject["mode"];
  amountSubtotal?: number | null;
  amountTotal?: number | null;
  amountDiscount?: number;
  amountTax?: number;
  amountShipping?: number;
  currency?: string | null;
  customer?: string | null;
  customerEmail?: string | null;
  clientReferenceId?: string | null;
  metadata?: Metadata;
  status?: CheckoutSessionObject["status"];
  paymentStatus?: CheckoutSessionObject["payment_status"];
  /** Default: a new `pi_` id when a payment-mode session is complete, null before (as since 2022-08-01). */
  paymentIntent?: string | null;
  subscription?: string | null;
  invoice?: string | null;
  successUrl?: string | null;
  cancelUrl?: string | null;
  /** Defaults to a checkout.stripe.com address while open, null after (Stripe clears it). */
  url?: string | null;
  created?: number;
  expiresAt?: number;
  livemode?: boolean;
}

export interface BalanceTransactionInput {
  id?: string;
  /** Signed: positive for a charge, negative for a refund or a dispute withdrawal. */
  amount: number;
  currency?: string;
  fee?: number;
  type?: BalanceTransactionObject["type"];
  reportingCategory?: string;
  source?: string | null;
  created?: number;
  /** Defaults to two days after `created`. */
  availableOn?: number;
  description?: string | null;
}

const REPORTING_CATEGORY: Record<BalanceTransactionObject["type"], string> = {
  charge: "charge",
  payment: "charge",
  refund: "refund",
  payment_refund: "refund",
  adjustment: "other_adjustment",
  payout: "payout",
  stripe_fee: "fee",
};

export function paymentBuilders(ctx: FactoryContext) {
  const { ids } = ctx;

  function makeCustomer(input: CustomerInput = {}): CustomerObject {
    const id = input.id ?? ids.next("cus");
    return {
      id,
      object: "customer",
      address: null,
      balance: 0,
      created: input.created ?? ctx.now(),
      currency: input.currency ?? null,
      default_source: null,
      delinquent: false,
      description: null,
      discount: null,
      email: input.email ?? null,
      invoice_prefix: ids.code(8),
      invoice_settings: {
        custom_fields: null,
        default_payment_method: null,
        footer: null,
        rendering_options: null,
      },
      livemode: input.livemode ?? ctx.livemode,
      metadata: { ...input.metadata },
      name: input.name ?? null,
      next_invoice_sequence: 1,
      phone: input.phone ?? null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: "none",
      test_clock: null,
    };
  }

  function makeCharge(input: ChargeInput): ChargeObject {
    assertMinorUnits(input.amount, "amount");
    const status = input.status ?? "succeeded";
    const amountRefunded = input.amountRefunded ?? 0;
    if (amountRefunded < 0 || amountRefunded > input.amount || !Number.isInteger(amountRefunded)) {
      throw new RangeError(
        `amountRefunded ${amountRefunded} must be a whole number within 0..${input.amount}`,
      );
    }
    const failed = status === "failed";
    return {
      id: input.id ?? ids.next("ch"),
      object: "charge",
      amount: input.amount,
      amount_captured: failed ? 0 : input.amount,
      amount_refunded: amountRefunded,
      application_fee_amount: null,
      balance_transaction:
        input.balanceTransaction !== undefined
          ? input.balanceTransaction
          : status === "succeeded"
            ? ids.next("txn")
            : null,
      billing_details: {
        address: address(input.billingCountry === undefined ? "US" : input.billingCountry),
        email: null,
        name: null,
        phone: null,
      },
      calculated_statement_descriptor: STATEMENT_DESCRIPTOR,
      captured: !failed,
      created: input.created ?? ctx.now(),
      currency: currencyOf(input.currency),
      customer: input.customer ?? null,
      description: input.description ?? null,
      disputed: input.disputed ?? false,
      failure_code: failed ? (input.failureCode ?? "card_declined") : null,
      failure_message: failed ? (input.failureMessage ?? "Your card was declined.") : null,
      invoice: input.invoice ?? null,
      livemode: input.livemode ?? ctx.livemode,
      metadata: { ...input.metadata },
      outcome: failed ? { ...DECLINED } : status === "succeeded" ? { ...AUTHORIZED } : null,
      paid: status === "succeeded",
      payment_intent: input.paymentIntent !== undefined ? input.paymentIntent : ids.next("pi"),
      payment_method: input.paymentMethod ?? ids.next("pm"),
      receipt_email: input.receiptEmail ?? null,
      refunded: amountRefunded === input.amount,
      status,
    };
  }

  function makeRefund(input: RefundInput): RefundObject {
    const charge = typeof input.charge === "string" ? null : input.charge;
    const amount = input.amount ?? (charge ? charge.amount - charge.amount_refunded : undefined);
    if (amount === undefined) throw new RangeError("makeRefund needs an amount when given a charge id");
    assertMinorUnits(amount, "amount");
    const status = input.status ?? "succeeded";
    return {
      id: input.id ?? ids.next("re"),
      object: "refund",
      amount,
      balance_transaction:
        input.balanceTransaction !== undefined
          ? input.balanceTransaction
          : status === "failed" || status === "canceled"
            ? null
            : ids.next("txn"),
      charge: charge ? charge.id : (input.charge as string),
      created: input.created ?? ctx.now(),
      currency: currencyOf(input.currency ?? charge?.currency),
      destination_details: { card: { reference_status: "pending", type: "refund" }, type: "card" },
      metadata: { ...input.metadata },
      payment_intent:
        input.paymentIntent !== undefined ? input.paymentIntent : (charge?.payment_intent ?? null),
      reason: input.reason === undefined ? "requested_by_customer" : input.reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status,
      transfer_reversal: null,
    };
  }

  /**
   * A refund and the charge after it, as Stripe reports the pair (`refund.created` carries the
   * refund, `charge.refunded` the charge with its cumulative `amount_refunded`). The input charge is
   * left untouched; `previousAttributes` is what `charge.refunded` sends as `previous_attributes`.
   */
  function applyRefund(charge: ChargeObject, input: Omit<RefundInput, "charge"> = {}) {
    const refundable = charge.amount - charge.amount_refunded;
    const amount = input.amount ?? refundable;
    if (charge.status !== "succeeded") throw new RangeError(`Charge ${charge.id} is ${charge.status}`);
    if (amount > refundable) {
      throw new RangeError(`Refund of ${amount} exceeds the ${refundable} left to refund on ${charge.id}`);
    }
    const refund = makeRefund({ ...input, charge, amount });
    const amountRefunded = charge.amount_refunded + amount;
    const updated: ChargeObject = {
      ...structuredClone(charge),
      amount_refunded: amountRefunded,
      refunded: amountRefunded === charge.amount,
    };
    const previousAttributes = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    return { refund, charge: updated, previousAttributes };
  }

  function makeDispute(input: DisputeInput): DisputeObject {
    const charge = typeof input.charge === "string" ? null : input.charge;
    const amount = input.amount ?? charge?.amount;
    if (amount === undefined) throw new RangeError("makeDispute needs an amount when given a charge id");
    assertMinorUnits(amount, "amount");
    const created = input.created ?? ctx.now();
    return {
      id: input.id ?? ids.next("dp"),
      object: "dispute",
      amount,
      balance_transactions: input.balanceTransactions ?? [],
      charge: charge ? charge.id : (input.charge as string),
      created,
      currency: currencyOf(input.currency ?? charge?.currency),
      evidence: {},
      evidence_details: {
        due_by: input.evidenceDueBy !== undefined ? input.evidenceDueBy : created + 7 * DAY,
        has_evidence: false,
        past_due: false,
        submission_count: 0,
      },
      is_charge_refundable: input.isChargeRefundable ?? false,
      livemode: input.livemode ?? charge?.livemode ?? ctx.livemode,
      metadata: { ...input.metadata },
      payment_intent:
        input.paymentIntent !== undefined ? input.paymentIntent : (charge?.payment_intent ?? null),
      reason: input.reason ?? "fraudulent",
      status: input.status ?? "needs_response",
    };
  }

  function makePaymentIntent(input: PaymentIntentInput): PaymentIntentObject {
    assertMinorUnits(input.amount, "amount");
    const status = input.status ?? "succeeded";
    const charged = status === "succeeded" || status === "processing" || status === "requires_capture";
    return {
      id: input.id ?? ids.next("pi"),
      object: "payment_intent",
      amount: input.amount,
      amount_capturable: status === "requires_capture" ? input.amount : 0,
      amount_received: status === "succeeded" ? input.amount : 0,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: input.captureMethod ?? "automatic",
      created: input.created ?? ctx.now(),
      currency: currencyOf(input.currency),
      customer: input.customer ?? null,
      description: input.description ?? null,
      invoice: input.invoice ?? null,
      last_payment_error: input.lastPaymentError ?? null,
      latest_charge: input.latestCharge !== undefined ? input.latestCharge : charged ? ids.next("ch") : null,
      livemode: input.livemode ?? ctx.livemode,
      metadata: { ...input.metadata },
      payment_method: input.paymentMethod !== undefined ? input.paymentMethod : ids.next("pm"),
      payment_method_types: ["card"],
      status,
    };
  }

  /**
   * A charge and its payment intent, pointing at each other as Stripe links them. A failed charge
   * leaves the intent in `requires_payment_method` with the decline as `last_payment_error`.
   */
  function makePayment(input: ChargeInput) {
    const paymentIntentId = input.paymentIntent ?? ids.next("pi");
    const charge = makeCharge({ ...input, paymentIntent: paymentIntentId });
    const status: PaymentIntentStatus =
      charge.status === "succeeded"
        ? "succeeded"
        : charge.status === "pending"
          ? "processing"
          : "requires_payment_method";
    const paymentIntent = makePaymentIntent({
      id: paymentIntentId,
      amount: charge.amount,
      currency: charge.currency,
      customer: charge.customer,
      status,
      latestCharge: charge.id,
      invoice: charge.invoice,
      metadata: charge.metadata,
      created: charge.created,
      livemode: charge.livemode,
      description: charge.description,
      paymentMethod: charge.payment_method,
      lastPaymentError:
        charge.status === "failed"
          ? {
              code: charge.failure_code ?? "card_declined",
              message: charge.failure_message ?? "",
              type: "card_error",
            }
          : null,
    });
    return { charge, paymentIntent };
  }

  function makeCheckoutSession(input: CheckoutSessionInput = {}): CheckoutSessionObject {
    const livemode = input.livemode ?? ctx.livemode;
    const id = input.id ?? ids.next(livemode ? "cs_live" : "cs_test");
    const mode = input.mode ?? "payment";
    const status = input.status ?? "open";
    const complete = status === "complete";
    const created = input.created ?? ctx.now();
    const paymentStatus =
      input.paymentStatus ?? (mode === "setup" ? "no_payment_required" : complete ? "paid" : "unpaid");
    const pick = <T>(given: T | undefined, fallback: () => T): T =>
      given !== undefined ? given : fallback();
    return {
      id,
      object: "checkout.session",
      amount_subtotal:
        input.amountSubtotal !== undefined ? input.amountSubtotal : (input.amountTotal ?? null),
      amount_total: input.amountTotal ?? null,
      cancel_url: input.cancelUrl ?? null,
      client_reference_id: input.clientReferenceId ?? null,
      created,
      currency: input.currency === undefined ? "usd" : input.currency,
      customer: input.customer ?? null,
      customer_details: complete ? { email: input.customerEmail ?? null, name: null } : null,
      customer_email: input.customerEmail ?? null,
      expires_at: input.expiresAt ?? created + DAY,
      invoice: input.invoice ?? null,
      livemode,
      metadata: { ...input.metadata },
      mode,
      payment_intent: pick(input.paymentIntent, () =>
        complete && mode === "payment" ? ids.next("pi") : null,
      ),
      payment_method_types: ["card"],
      payment_status: paymentStatus,
      status,
      subscription: pick(input.subscription, () =>
        complete && mode === "subscription" ? ids.next("sub") : null,
      ),
      success_url: input.successUrl ?? null,
      total_details: {
        amount_discount: input.amountDiscount ?? 0,
        amount_shipping: input.amountShipping ?? 0,
        amount_tax: input.amountTax ?? 0,
      },
      ui_mode: "hosted",
      url: pick(input.url, () => (status === "open" ? `https://checkout.stripe.com/c/pay/${id}` : null)),
    };
  }

  function makeBalanceTransaction(input: BalanceTransactionInput): BalanceTransactionObject {
    if (!Number.isInteger(input.amount)) throw new RangeError(`amount ${input.amount} is not in minor units`);
    const fee = input.fee ?? 0;
    assertMinorUnits(fee, "fee", true);
    const currency = currencyOf(input.currency);
    const created = input.created ?? ctx.now();
    const availableOn = input.availableOn ?? created + 2 * DAY;
    const type = input.type ?? (input.amount < 0 ? "refund" : "charge");
    return {
      id: input.id ?? ids.next("txn"),
      object: "balance_transaction",
      amount: input.amount,
      available_on: availableOn,
      created,
      currency,
      description: input.description ?? null,
      exchange_rate: null,
      fee,
      fee_details:
        fee > 0
          ? [
              {
                amount: fee,
                application: null,
                currency,
                description: "Stripe processing fees",
                type: "stripe_fee",
              },
            ]
          : [],
      net: input.amount - fee,
      reporting_category: input.reportingCategory ?? REPORTING_CATEGORY[type],
      source: input.source ?? null,
      status: availableOn <= ctx.now() ? "available" : "pending",
      type,
    };
  }

  return {
    makeCustomer,
    makeCharge,
    makeRefund,
    applyRefund,
    makeDispute,
    makePaymentIntent,
    makePayment,
    makeCheckoutSession,
    makeBalanceTransaction,
  };
}

const AUTHORIZED: ChargeOutcome = {
  network_status: "approved_by_network",
  reason: null,
  risk_level: "normal",
  seller_message: "Payment complete.",
  type: "authorized",
};

const DECLINED: ChargeOutcome = {
  network_status: "declined_by_network",
  reason: "generic_decline",
  risk_level: "normal",
  seller_message: "The bank did not return any further details with this decline.",
  type: "issuer_declined",
};

function address(country: string | null): Address {
  return { city: null, country, line1: null, line2: null, postal_code: null, state: null };
}

/** Stripe sends ISO currency codes in lower case. */
export function currencyOf(currency: string | null | undefined): string {
  return (currency ?? "usd").toLowerCase();
}

export function assertMinorUnits(amount: number, field: string, allowZero = false): void {
  if (!Number.isInteger(amount) || amount < 0 || (amount === 0 && !allowZero)) {
    throw new RangeError(`${field} ${amount} must be a positive whole number of minor units`);
  }
}
