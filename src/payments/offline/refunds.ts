import { eq } from "drizzle-orm";
import type { AppContext } from "../../context.ts";
import { canonicalJson } from "../../shared/canonical-json.ts";
import { AppError, NotFoundError } from "../../shared/errors.ts";
import type { RefundRequest, RefundStart } from "../provider.ts";
import { charges } from "../schema.ts";
import { chargeObjectFromRow } from "./charge-object-from-row.ts";
import { emit, simulatorFactory } from "./emit.ts";
import { offlineId } from "./ids.ts";

/** Stripe keeps an idempotency key for at least 24 hours; the simulator keeps it as long. */
const KEY_TTL_MS = 24 * 3_600_000;

interface KeptRefund {
  parameters: string;
  at: number;
  start: RefundStart;
}

/** The keys this process has seen, per app context (the simulator has no Stripe account to keep them). */
const keysByContext = new WeakMap<AppContext, Map<string, KeptRefund>>();

/**
 * Offline refunds answer like Stripe's refunds API (a `re_` id, pending) and, once the caller's
 * transaction has committed, deliver refund.created and charge.refunded as signed webhooks.
 * An idempotency key works as at Stripe: the same key with the same parameters returns the first
 * refund (its events are delivered once), the same key with other parameters is refused.
 */
export async function simulateRefund(ctx: AppContext, request: RefundRequest): Promise<RefundStart> {
  const { idempotencyKey, ...parameters } = request;
  if (!idempotencyKey) return startRefund(ctx, request);
  const kept = keptKeys(ctx);
  const fingerprint = canonicalJson(parameters);
  const earlier = kept.get(idempotencyKey);
  if (earlier) {
    if (earlier.parameters !== fingerprint) throw new IdempotencyKeyReusedError();
    return earlier.start;
  }
  const start = startRefund(ctx, request);
  kept.set(idempotencyKey, { parameters: fingerprint, at: ctx.clock.now().getTime(), start });
  return start;
}

/** Same wording and meaning as Stripe's `idempotency_error`. */
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

function keptKeys(ctx: AppContext): Map<string, KeptRefund> {
  let kept = keysByContext.get(ctx);
  if (!kept) {
    kept = new Map();
    keysByContext.set(ctx, kept);
  }
  const oldest = ctx.clock.now().getTime() - KEY_TTL_MS;
  for (const [key, entry] of kept) if (entry.at < oldest) kept.delete(key);
  return kept;
}

function startRefund(ctx: AppContext, request: RefundRequest): RefundStart {
  const refundId = offlineId("re");
  let delivery: Promise<void> | undefined;
  return {
    refundId,
    status: "pending",
    // A replayed key hands back this same start: its events still go out once.
    deliver: () => {
      delivery ??= deliverRefund(ctx, request, refundId).catch((err: unknown) => {
        delivery = undefined; // not delivered: a retry with the key may try again
        throw err;
      });
      return delivery;
    },
  };
}

async function deliverRefund(ctx: AppContext, request: RefundRequest, refundId: string): Promise<void> {
  const [row] = await ctx.db.select().from(charges).where(eq(charges.id, request.chargeId));
  if (!row) throw new NotFoundError(`Charge ${request.chargeId}`);
  const f = simulatorFactory(ctx);
  const amountRefunded = Math.min(row.amount, row.amountRefunded + request.amount);
  const charge = chargeObjectFromRow(f, row, amountRefunded);
  const refund = f.makeRefund({
    id: refundId,
    charge,
    amount: request.amount,
    reason: request.reason ?? null,
    metadata: request.metadata,
    status: "succeeded",
  });
  await emit(ctx, f.makeEvent("refund.created", refund));
  await emit(ctx, f.makeEvent("charge.refunded", charge));
}
