/**
 * The Stripe API version families the acceptance suite speaks, and the event envelope (unchanged
 * across them: id, object, api_version, created, data.object, data.previous_attributes, livemode,
 * pending_webhooks, request, type).
 *
 * - `2024-06-20`: the last pre-release-train version (Stripe API changelog 2024-06-20).
 * - `basil`: 2025-03-31.basil (Stripe API changelog "Basil", first release: breaking changes).
 * - `clover`: 2025-09-30.clover (Stripe API changelog "Clover", first release: breaking changes).
 * - `newest`: 2026-10-28.endive, the version the stripe SDK 23.1.0 pins (its CHANGELOG: 23.0.0
 *   moves to 2026-09-30.endive, 23.1.0 to 2026-10-28.endive; dahlia 2026-03-25 lies in between).
 *
 * Payloads are written from Stripe's published API reference, changelog and OpenAPI spec, never
 * from this project's own emulator, so they may disagree with the code under test.
 */
export const FAMILIES = ["2024-06-20", "basil", "clover", "newest"] as const;
export type Family = (typeof FAMILIES)[number];

export const API_VERSION: Record<Family, string> = {
  "2024-06-20": "2024-06-20",
  basil: "2025-03-31.basil",
  clover: "2025-09-30.clover",
  newest: "2026-10-28.endive",
};

/** At or after 2025-03-31.basil (charge.invoice gone, invoice.parent, item-level periods…). */
export const basilOrLater = (f: Family): boolean => f !== "2024-06-20";
/** At or after 2025-09-30.clover (discount.source.coupon instead of discount.coupon). */
export const cloverOrLater = (f: Family): boolean => f === "clover" || f === "newest";
/** 2026-10-28.endive (customer_account, billing_schedules, status_details…). */
export const isNewest = (f: Family): boolean => f === "newest";

/** Unix seconds of an ISO instant. */
export const at = (iso: string): number => Math.floor(new Date(iso).getTime() / 1000);

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export function makeEvent(
  family: Family,
  input: {
    id: string;
    type: string;
    created: number;
    object: Record<string, unknown>;
    previousAttributes?: Record<string, unknown>;
  },
): StripeEvent {
  return {
    id: input.id,
    object: "event",
    api_version: API_VERSION[family],
    created: input.created,
    data: {
      object: input.object,
      ...(input.previousAttributes ? { previous_attributes: input.previousAttributes } : {}),
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: input.type,
  };
}
