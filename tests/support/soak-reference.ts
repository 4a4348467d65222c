/** The soak suites' reference: what a clean, in-process run of a Stripe event stream leaves behind. */
import { computeKpisRaw } from "../../src/analytics/index.ts";
import type { Kpis } from "../../src/analytics/types.ts";
import { type AppContext, closeContext } from "../../src/context.ts";
import type { StripeEventObject } from "../../src/offline/objects/event-factory.ts";
import { receiveWebhook } from "../../src/payments/inbox/receive.ts";
import { signEvent } from "../../src/payments/stripe/sign.ts";
import { openContext } from "./context.ts";
import { type LedgerDigest, ledgerDigest } from "./ledger-digest.ts";

/** The KPI window the soak streams fall in (stream start 2026-05-01, about 30 days). */
export const SOAK_PERIOD = { from: "2026-05-01", to: "2026-06-10", timezone: "UTC" } as const;

export function soakKpis(ctx: AppContext): Promise<Kpis> {
  return computeKpisRaw(ctx, SOAK_PERIOD);
}

/**
 * The reference: every event delivered once, in stream order, through the same webhook path in
 * this process (no HTTP, no faults). Returns what the faulty runs must equal.
 */
export async function cleanRun(
  databaseUrl: string,
  events: StripeEventObject[],
  secret: string,
): Promise<{ digest: LedgerDigest; kpis: Kpis }> {
  const ctx = await openContext(databaseUrl, secret);
  try {
    for (const event of events) {
      const { payload, header } = signEvent(event, secret);
      await receiveWebhook(ctx, payload, header);
    }
    return { digest: await ledgerDigest(ctx.db), kpis: await soakKpis(ctx) };
  } finally {
    await closeContext(ctx);
  }
}
