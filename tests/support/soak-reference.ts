/** The soak suites' reference: what a clean, in-process run of a Stripe event stream leaves behind. */
import { expect } from "vitest";
import { computeKpisRaw } from "../../src/analytics/index.ts";
import type { Kpis } from "../../src/analytics/types.ts";
import { systemActor } from "../../src/audit/index.ts";
import { type AppContext, closeContext } from "../../src/context.ts";
import type { StripeEventObject } from "../../src/offline/objects/event-factory.ts";
import { receiveWebhook } from "../../src/payments/inbox/receive.ts";
import { replayFailed } from "../../src/payments/replay.ts";
import { signEvent } from "../../src/payments/stripe/sign.ts";
import { openContext } from "./context.ts";
import { inboxStatuses, type LedgerDigest, ledgerDigest } from "./ledger-digest.ts";

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

/** What a faulty run left once the worker's re-drive ran, beside a clean run of the same events. */
export interface SettledRun {
  /** Inbox statuses before and after the re-drive, and how many events it re-drove. */
  before: Record<string, number>;
  drained: number;
  after: Record<string, number>;
  digest: LedgerDigest;
  kpis: Kpis;
  reference: { digest: LedgerDigest; kpis: Kpis };
}

/**
 * Runs the worker's job on the faulty database (events stored but never applied, and failed ones,
 * are applied again), then reads its inbox, ledger and KPIs and those of a clean run of `events`.
 */
export async function settleAgainstCleanRun(
  faultyUrl: string,
  cleanUrl: string,
  events: StripeEventObject[],
  secret: string,
): Promise<SettledRun> {
  const ctx = await openContext(faultyUrl, secret);
  try {
    const before = await inboxStatuses(ctx.db);
    const drained = await replayFailed(ctx, systemActor, { limit: events.length });
    const after = await inboxStatuses(ctx.db);
    const reference = await cleanRun(cleanUrl, events, secret);
    return {
      before,
      drained: drained.attempted,
      after,
      digest: await ledgerDigest(ctx.db),
      kpis: await soakKpis(ctx),
      reference,
    };
  } finally {
    await closeContext(ctx);
  }
}

/** Every event in the inbox once and processed; ledger and KPIs equal to the clean run's. */
export function expectAppliedOnceAsClean(run: SettledRun, events: number): void {
  expect(Object.values(run.after).reduce((a, b) => a + b, 0)).toBe(events);
  expect(run.after.received ?? 0).toBe(0);
  expect(run.after.failed ?? 0).toBe(0);
  expect(run.digest).toEqual(run.reference.digest);
  expect(run.kpis).toEqual(run.reference.kpis);
  expect(run.kpis.gross_revenue).toBeGreaterThan(0);
}
