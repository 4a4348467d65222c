/**
 * What the webhook benches share: posting signed events to a `revintel serve`, open-loop (Poisson)
 * arrivals, and checking from the database after a run that every event was applied exactly once.
 */
import pg from "pg";
import type { StripeEventObject } from "../../src/payments/stripe/stripe-objects.ts";
import { seededRandom } from "../../src/shared/seeded-random.ts";
import type { SignedDelivery } from "../../tests/support/stripe-stream.ts";
import type { HttpPool } from "./http.ts";
import { processCpuMs } from "./proc.ts";
import { elapsedMs } from "./stats.ts";

/**
 * CPU per event over a run: the `serve` process's and its database's backends' (their pids from
 * pg_stat_activity, read from /proc: NaN when PostgreSQL runs on another machine). Start it once
 * the app's pool has its connections (after a warm-up), call the result with the events sent.
 */
export async function startCpuMeter(
  serverPid: number | undefined,
  dbUrl: string,
): Promise<(events: number) => { server: number; database: number }> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  let backends: number[];
  try {
    const rows = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    backends = rows.rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
  const read = () => ({
    server: processCpuMs(serverPid),
    database: backends.length === 0 ? Number.NaN : backends.reduce((sum, pid) => sum + processCpuMs(pid), 0),
  });
  const before = read();
  return (events) => {
    const after = read();
    return {
      server: (after.server - before.server) / events,
      database: (after.database - before.database) / events,
    };
  };
}

/** POSTs one signed delivery; resolves with the HTTP status (0 on a network error). */
export async function postEvent(http: HttpPool, baseUrl: string, d: SignedDelivery): Promise<number> {
  const res = await http.send(`${baseUrl}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": d.header },
    body: d.payload,
  });
  return res.status;
}

/**
 * Open-loop arrivals: event i is sent at its scheduled time (exponential gaps at `ratePerSecond`,
 * a Poisson process from a seeded generator) whether or not earlier ones were answered, and its
 * latency counts from that scheduled time, so a stalled server shows as waiting, not as fewer sends.
 */
export async function openLoop(
  deliveries: SignedDelivery[],
  ratePerSecond: number,
  seed: number,
  send: (d: SignedDelivery) => Promise<number>,
): Promise<{
  latencies: number[];
  statuses: number[];
  /** Each event's scheduled time, ms from the start. */
  due: number[];
  wallMs: number;
  offeredPerSecond: number;
}> {
  const rand = seededRandom(seed);
  const due: number[] = [];
  let t = 0;
  for (let i = 0; i < deliveries.length; i++) {
    t += (-Math.log(1 - rand()) / ratePerSecond) * 1000;
    due.push(t);
  }
  const latencies = new Array<number>(deliveries.length);
  const statuses = new Array<number>(deliveries.length);
  const started = process.hrtime.bigint();
  const inFlight: Promise<void>[] = [];
  let next = 0;
  while (next < deliveries.length) {
    const now = elapsedMs(started);
    while (next < deliveries.length && due[next]! <= now) {
      const i = next++;
      inFlight.push(
        send(deliveries[i]!).then((status) => {
          statuses[i] = status;
          latencies[i] = elapsedMs(started) - due[i]!;
        }),
      );
    }
    if (next < deliveries.length) {
      const wait = due[next]! - elapsedMs(started);
      if (wait > 1) await new Promise((r) => setTimeout(r, Math.min(wait, 50)));
      else await new Promise((r) => setImmediate(r));
    }
  }
  await Promise.all(inFlight);
  const wallMs = elapsedMs(started);
  return { latencies, statuses, due, wallMs, offeredPerSecond: (deliveries.length / t) * 1000 };
}

/** Counts that say whether every event of a stream was applied exactly once. */
export interface Effects {
  /** Inbox rows `processed` (every event of these streams has a handler). */
  inboxProcessed: number;
  /** Inbox rows in any other status (received, failed, ignored): must be 0. */
  inboxOther: number;
  customers: number;
  charges: number;
  chargeAmount: number;
  refunds: number;
  refundAmount: number;
  /** Provisional refunds left once every refund object is in: must be 0. */
  provisionalRefunds: number;
  subscriptions: number;
  /** One history row per subscription event. */
  subscriptionHistory: number;
  invoices: number;
}

/** The effects a stream must leave, worked out from its events alone. */
export function expectedEffects(events: StripeEventObject[]): Effects {
  // Object id → amount (0 where there is none), one entry per object however many events name it.
  const customers = new Map<string, number>();
  const charges = new Map<string, number>();
  const refunds = new Map<string, number>();
  const subscriptions = new Map<string, number>();
  const invoices = new Map<string, number>();
  let history = 0;
  for (const e of events) {
    const o = e.data.object as { id: string; amount?: number };
    if (e.type === "customer.created") customers.set(o.id, 0);
    else if (e.type.startsWith("charge.")) charges.set(o.id, o.amount ?? 0);
    else if (e.type === "refund.created") refunds.set(o.id, o.amount ?? 0);
    else if (e.type.startsWith("customer.subscription.")) {
      subscriptions.set(o.id, 0);
      history++;
    } else if (e.type.startsWith("invoice.")) invoices.set(o.id, 0);
  }
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    inboxProcessed: events.length,
    inboxOther: 0,
    customers: customers.size,
    charges: charges.size,
    chargeAmount: sum(charges),
    refunds: refunds.size,
    refundAmount: sum(refunds),
    provisionalRefunds: 0,
    subscriptions: subscriptions.size,
    subscriptionHistory: history,
    invoices: invoices.size,
  };
}

/** The same counts read from the database after a run. */
export async function measuredEffects(databaseUrl: string): Promise<Effects> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<keyof Effects, string>>(`SELECT
      (SELECT count(*) FROM stripe_events WHERE status = 'processed') AS "inboxProcessed",
      (SELECT count(*) FROM stripe_events WHERE status <> 'processed') AS "inboxOther",
      (SELECT count(*) FROM customers WHERE stripe_customer_id IS NOT NULL) AS "customers",
      (SELECT count(*) FROM charges) AS "charges",
      (SELECT coalesce(sum(amount), 0) FROM charges) AS "chargeAmount",
      (SELECT count(*) FROM refunds WHERE NOT provisional) AS "refunds",
      (SELECT coalesce(sum(amount), 0) FROM refunds WHERE NOT provisional) AS "refundAmount",
      (SELECT count(*) FROM refunds WHERE provisional) AS "provisionalRefunds",
      (SELECT count(*) FROM subscriptions) AS "subscriptions",
      (SELECT count(*) FROM subscription_history) AS "subscriptionHistory",
      (SELECT count(*) FROM invoices) AS "invoices"`);
    const row = rows[0]!;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as Effects;
  } finally {
    await client.end();
  }
}

/** The fields where the database differs from what the stream must leave (empty: applied once). */
export function effectsDiff(expected: Effects, measured: Effects): string[] {
  return (Object.keys(expected) as Array<keyof Effects>)
    .filter((k) => expected[k] !== measured[k])
    .map((k) => `${k}: expected ${expected[k]}, found ${measured[k]}`);
}
