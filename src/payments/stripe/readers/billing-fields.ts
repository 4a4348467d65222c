/**
 * Small field readers shared by the billing readers (subscription, invoice, invoice payment,
 * discount). A payload is untrusted JSON of any API version: these never assume a field exists.
 */
export type Json = Record<string, unknown>;

export class PayloadShapeError extends Error {
  readonly code = "stripe.payload_shape";
}

export function record(value: unknown): Json | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

export function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export function requiredText(object: Json, field: string, what: string): string {
  const value = text(object[field]);
  if (value === null) throw new PayloadShapeError(`${what} has no ${field}`);
  return value;
}

export function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A Unix-seconds field as a Date. */
export function unix(value: unknown): Date | null {
  const n = num(value);
  return n === null ? null : new Date(n * 1000);
}

/** An expandable reference: the id whether Stripe sent the id or the expanded object. */
export function idOf(value: unknown): string | null {
  return text(value) ?? text(record(value)?.id);
}

/** The `data` of a list object (or a bare array), else empty. */
export function listData(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const data = record(value)?.data;
  return Array.isArray(data) ? data : [];
}
