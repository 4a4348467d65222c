import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { canonicalJson, sha256Hex } from "../../shared/canonical-json.ts";
import { AppError } from "../../shared/errors.ts";
import { refundIdempotencyKeys } from "../schema.ts";

/** Stripe keeps an idempotency key for at least 24 hours; refunds started in the app keep it as long. */
export const REFUND_KEY_TTL_MS = 24 * 3_600_000;

/** What a refund request answered; a retry with its key gets the same answer. */
export interface RefundAnswer {
  refundId: string;
  status: string;
  amount: number;
  refundable: number;
}

/** Same wording and meaning as Stripe's `idempotency_error`, in both payment modes. */
export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(
      "refund.idempotency_error",
      "idempotencyKey: keys for idempotent requests can only be used with the same parameters they were first used with",
      400,
      { field: "idempotencyKey" },
    );
  }
}

/** The fingerprint of a request's parameters (everything but the key), independent of property order. */
export function refundFingerprint(parameters: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(parameters));
}

/**
 * A transaction-level lock on an idempotency key. Both transactions of a keyed refund take it first
 * (before the order lock): the one that accepts a request, and the one that records the provider's
 * answer. So an acceptance reads "no kept answer" and "no request in flight" with no recording in
 * between: otherwise a request recorded between its two reads would be invisible to both, and a
 * second request with the same key would reach the provider as a second refund.
 */
export async function lockRefundKey(tx: Db, key: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`refund-idempotency:${key}`}))`);
}

/**
 * The first answer given for `key`, or undefined when the key is new or older than 24 hours (an
 * expired key is forgotten, as at Stripe). Takes the key's lock first (`lockRefundKey`), so a
 * concurrent request with the same key waits for this one and then finds its refund.
 * Throws IdempotencyKeyReusedError when the key was used with other parameters.
 */
export async function keptRefundAnswer(
  tx: Db,
  key: string,
  fingerprint: string,
  now: Date,
): Promise<RefundAnswer | undefined> {
  await lockRefundKey(tx, key);
  await tx
    .delete(refundIdempotencyKeys)
    .where(
      and(
        eq(refundIdempotencyKeys.key, key),
        lt(refundIdempotencyKeys.created, new Date(now.getTime() - REFUND_KEY_TTL_MS)),
      ),
    );
  const [kept] = await tx.select().from(refundIdempotencyKeys).where(eq(refundIdempotencyKeys.key, key));
  if (!kept) return undefined;
  if (kept.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
  return kept.response as RefundAnswer;
}

/** Records the answer for `key`, in the transaction that records the refund itself. */
export async function keepRefundAnswer(
  tx: Db,
  key: string,
  fingerprint: string,
  orderId: number,
  answer: RefundAnswer,
  now: Date,
): Promise<void> {
  await tx.insert(refundIdempotencyKeys).values({
    key,
    fingerprint,
    refundId: answer.refundId,
    orderId,
    response: answer,
    created: now,
  });
}
