/**
 * Webhook ingestion on Postgres: N signed events POSTed to `/webhooks/stripe` of a real
 * `revintel serve` process on 127.0.0.1 over 32 keep-alive connections (verify → inbox → handler,
 * committed before the 2xx), against a baseline of the same events written by a plain
 * `INSERT … ON CONFLICT DO NOTHING` through a pool of the app's size at the same concurrency.
 * Target: throughput ≥ 50% of the baseline and p99 < 50 ms.
 *
 * It also measures the endpoint's floor: the same events under a type we have no handler for, so
 * each request only verifies the signature and stores one row (no transaction). That bounds what any
 * handler work could reach on this machine, and says how much of the gap is HTTP and verification.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import type { StripeEventObject } from "../src/payments/stripe/stripe-objects.ts";
import { buildEventStream, signAll } from "../tests/support/stripe-stream.ts";
import { createBenchDatabase } from "./lib/database.ts";
import { HttpPool } from "./lib/http.ts";
import { startServe } from "./lib/processes.ts";
import { round, runConcurrent, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";

const SECRET = "whsec_bench_webhooks";
const CONCURRENCY = 32;
/** The app's pool size (openDatabase default), so the baseline gets the same connections. */
const POOL_SIZE = 10;
const WARMUP = 300;

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const total = opts.quick ? 2_000 : 20_000;
  const all = buildEventStream({ seed: 10, events: total + WARMUP }).slice(0, total + WARMUP);
  const warm = all.slice(0, WARMUP);
  const events = all.slice(WARMUP);
  opts.log(`${events.length} events (+${WARMUP} warm-up), ${CONCURRENCY} connections`);

  // Baseline: the bare inbox insert, on its own database so both start empty.
  const base = await createBenchDatabase(opts.postgresUrl, "webhooks_base");
  let baseline: { latencies: number[]; wallMs: number };
  try {
    const pool = new pg.Pool({ connectionString: base.url, max: POOL_SIZE });
    // The database is dropped WITH (FORCE) afterwards; an idle client cut then must not crash the run.
    pool.on("error", () => {});
    const insert = (e: (typeof events)[number]) =>
      pool.query(
        `INSERT INTO stripe_events (id, type, created, livemode, api_version, payload, received_at, status, source)
         VALUES ($1, $2, to_timestamp($3), $4, $5, $6::jsonb, now(), 'received', 'webhook')
         ON CONFLICT (id) DO NOTHING`,
        [e.id, e.type, e.created, e.livemode, e.api_version, JSON.stringify(e, null, 2)],
      );
    await runConcurrent(warm.length, CONCURRENCY, async (i) => void (await insert(warm[i]!)));
    baseline = await runConcurrent(events.length, CONCURRENCY, async (i) => void (await insert(events[i]!)));
    await pool.end();
  } finally {
    await base.drop();
  }

  const full = await postAll(opts, "webhooks", warm, events);
  // The floor: the same events as a type with no handler, so the endpoint only verifies and stores
  // (one INSERT, no transaction). No handler, however lean, can make the full path faster than this.
  const unhandled = (list: StripeEventObject[]) => list.map((e) => ({ ...e, type: FLOOR_TYPE }));
  const floor = await postAll(opts, "webhooks_floor", unhandled(warm), unhandled(events));

  const baseRate = (events.length / baseline.wallMs) * 1000;
  const rate = (events.length / full.wallMs) * 1000;
  const floorRate = (events.length / floor.wallMs) * 1000;
  const lat = summarise(full.latencies);
  const floorLat = summarise(floor.latencies);
  const baseLat = summarise(baseline.latencies);
  const ratio = rate / baseRate;
  return {
    name: "webhooks",
    description: "events/s through POST /webhooks/stripe vs plain INSERT … ON CONFLICT DO NOTHING",
    baseline: { label: "plain insert", value: baseRate, unit: "events/s" },
    measured: { label: "endpoint", value: rate, unit: "events/s" },
    ratio,
    target: "ratio ≥ 0.5, p99 < 50 ms, every event 2xx",
    pass: ratio >= 0.5 && lat.p99 < 50 && full.ok === events.length,
    figures: [
      { label: "endpoint p50", value: lat.p50, unit: "ms" },
      { label: "endpoint p95", value: lat.p95, unit: "ms" },
      { label: "endpoint p99", value: lat.p99, unit: "ms" },
      { label: "baseline p99", value: baseLat.p99, unit: "ms" },
      { label: "2xx responses", value: full.ok, unit: "events" },
      ...full.inbox.map((r) => ({ label: `inbox ${r.status}`, value: r.n, unit: "events" })),
      { label: "endpoint wall time", value: round(full.wallMs / 1000, 2), unit: "s" },
      { label: "server CPU per event", value: full.cpuMsPerEvent, unit: "ms" },
      { label: "floor (no handler: verify + one insert)", value: floorRate, unit: "events/s" },
      { label: "floor ratio to baseline", value: floorRate / baseRate, unit: "×" },
      { label: "floor p99", value: floorLat.p99, unit: "ms" },
      { label: "floor server CPU per event", value: floor.cpuMsPerEvent, unit: "ms" },
      { label: "floor 2xx responses", value: floor.ok, unit: "events" },
    ],
    size: { events: events.length, concurrency: CONCURRENCY, poolSize: POOL_SIZE },
    quick: opts.quick,
  };
}

/** An event type we have no handler for: stored `ignored`, nothing else. */
const FLOOR_TYPE = "balance.available";

interface EndpointRun {
  latencies: number[];
  wallMs: number;
  ok: number;
  inbox: { status: string; n: number }[];
  /** User + system CPU of the `serve` process over the measured run, per event. */
  cpuMsPerEvent: number;
}

/** Posts `warm` then (measured) `events` to a fresh `revintel serve` on its own database. */
async function postAll(
  opts: BenchOptions,
  label: string,
  warm: StripeEventObject[],
  events: StripeEventObject[],
): Promise<EndpointRun> {
  const db = await createBenchDatabase(opts.postgresUrl, label);
  const http = new HttpPool(CONCURRENCY);
  const server = await startServe(db.url, { env: { STRIPE_WEBHOOK_SECRET: SECRET, LOG_LEVEL: "error" } });
  try {
    const statuses = new Map<number, number>();
    const post = async (d: { payload: string; header: string }) => {
      const res = await http.send(`${server.url}/webhooks/stripe`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": d.header },
        body: d.payload,
      });
      return res.status;
    };
    const warmSigned = signAll(warm, SECRET);
    await runConcurrent(warmSigned.length, CONCURRENCY, async (i) => void (await post(warmSigned[i]!)));
    // Signed just before sending: the 300 s tolerance is far longer than the run.
    const signed = signAll(events, SECRET);
    const cpuBefore = processCpuMs(server.child.pid);
    const measured = await runConcurrent(signed.length, CONCURRENCY, async (i) => {
      const status = await post(signed[i]!);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    const cpuMsPerEvent = (processCpuMs(server.child.pid) - cpuBefore) / signed.length;

    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    const inbox = await check.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM stripe_events GROUP BY status ORDER BY status",
    );
    await check.end();
    const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((a, [, n]) => a + n, 0);
    opts.log(
      `${label}: statuses ${JSON.stringify(Object.fromEntries(statuses))}; inbox ${JSON.stringify(inbox.rows)}`,
    );
    return { ...measured, ok, inbox: inbox.rows, cpuMsPerEvent };
  } finally {
    http.close();
    await server.kill("SIGTERM");
    await db.drop();
  }
}

/** CPU time (user + system) a process has used, from /proc; NaN where /proc is not there. */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ: 100 on every Linux build that Node supports. */
const CLOCK_TICKS = 100;
