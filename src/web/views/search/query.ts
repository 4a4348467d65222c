import { z } from "zod";
import { orderNumberOf } from "../../../orders/index.ts";

/** Longest query accepted: longer than any id, e-mail or product name, short enough to stay cheap. */
export const MAX_QUERY_LENGTH = 200;

/** `?q=`: trimmed, 1..200 characters, no control characters (a failed parse names the field `q`). */
export const searchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1, "type something to search for")
    .max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
    .refine((q) => !/[\u0000-\u001f\u007f]/.test(q), "control characters are not allowed"),
});

/** The Stripe id prefixes search knows, and what each names. */
export const STRIPE_PREFIXES = {
  cus: "customer",
  ch: "charge",
  pi: "payment intent",
  sub: "subscription",
  in: "invoice",
  re: "refund",
  dp: "dispute",
  evt: "event",
} as const;
export type StripePrefix = keyof typeof STRIPE_PREFIXES;

const STRIPE_ID = /^(cus|ch|pi|sub|in|re|dp|evt)_[A-Za-z0-9_]{1,120}$/;

/** What a query may be, decided from its shape alone (pure: no database). */
export interface SearchPlan {
  text: string;
  /** A Stripe id (`ch_…`): looked up exactly, jumped to when found. */
  stripeId: { prefix: StripePrefix; id: string } | null;
  /** `RI-000123`, `ri-123` or `123`. */
  orderNumber: string | null;
  /** `RI-…` written out: the query is unambiguously an order number. */
  explicitOrderNumber: boolean;
  /** Digits only: also a customer id. */
  customerId: number | null;
  /** Text for the e-mail/name prefix and product searches (2 characters at least, not an id). */
  words: string | null;
}

export function planSearch(text: string): SearchPlan {
  const stripe = STRIPE_ID.exec(text);
  const orderNumber = stripe ? null : orderNumberOf(text);
  const digits = /^\d{1,10}$/.test(text) ? Number(text) : null;
  return {
    text,
    stripeId: stripe ? { prefix: stripe[1] as StripePrefix, id: text } : null,
    orderNumber,
    explicitOrderNumber: orderNumber !== null && /^ri-/i.test(text),
    customerId: digits !== null && digits >= 1 && digits <= 2_147_483_647 ? digits : null,
    words: stripe || text.length < 2 ? null : text,
  };
}
