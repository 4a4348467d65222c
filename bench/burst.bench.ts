/**
 * Black-Friday burst: 100,000 signed events (quick: 3,000) POSTed by 64 keep-alive connections to a
 * real `revintel serve` while analysts read dashboards (`GET /dashboard` with a session and
 * `GET /api/v1/kpis` with an API token, a few readers at once), with a `revintel worker` running
 * its scheduled jobs (the dirty-day snapshot rebuild among them), all on 127.0.0.1.
 *
 * Measured in one run: the dashboards' p95 at rest first (same shop, worker not yet started), then
 * during the burst; every event's answer; the `serve` process's resident memory (VmRSS, sampled);
 * the time from the burst's last 2xx until `/api/v1/kpis` (which reads the snapshots) shows the final
 * state, i.e. equals the KPIs computed from the raw tables; and, from the database, that every event
 * was applied exactly once. Targets: every event 2xx and applied once; dashboard p95 during the
 * burst ≤ 3× at rest (the worse of the two pages); the figures fresh within 60 s; RSS < 300 MB.
 */
import { rebuildDirtyDays } from "../src/analytics/index.ts";
import { computeKpisRaw } from "../src/analytics/raw/kpis.ts";
import { testConfig } from "../src/config/env.ts";
import { closeContext, createContext } from "../src/context.ts";
import { signPayload } from "../src/payments/stripe/sign.ts";
import { buildEventStream, signAll } from "../tests/support/stripe-stream.ts";
import { createBenchDatabase } from "./lib/database.ts";
import { HttpPool } from "./lib/http.ts";
import { processCpuMs, processRssMb } from "./lib/proc.ts";
import { type AppProcess, startServe, startWorkerProcess } from "./lib/processes.ts";
import { benchReader } from "./lib/readers.ts";
import { round, runConcurrent, summarise } from "./lib/stats.ts";
import type { BenchOptions, BenchResult } from "./lib/types.ts";
import { effectsDiff, expectedEffects, measuredEffects, postEvent } from "./lib/webhook-load.ts";

const SECRET = "whsec_bench_burst";
const CONNECTIONS = 64;
/** Analysts reading dashboards at once, during the burst and at rest. */
const READERS = 3;
/** Events posted (and rebuilt into snapshots) before the idle measurement, so dashboards show a shop. */
const HISTORY = 1_000;
/** How long the bench waits for the snapshots to show the final state before calling it a miss. */
const FRESHNESS_LIMIT_MS = 180_000;

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const total = opts.quick ? 3_000 : 100_000;
  const idleRequests = opts.quick ? 30 : 100;
  // The stream covers the 30 days up to now, so it falls in the dashboard's default 90 days.
  const today = new Date();
  const start = new Date(today.getTime() - 31 * 86_400_000);
  const t = Date.now();
  const all = buildEventStream({ seed: 30, events: HISTORY + total, start, days: 30 }).slice(
    0,
    HISTORY + total,
  );
  const history = all.slice(0, HISTORY);
  const burst = all.slice(HISTORY);
  opts.log(`${burst.length} events built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const to = today.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - 89 * 86_400_000).toISOString().slice(0, 10);
  const dashPath = `/dashboard?from=${from}&to=${to}`;
  const apiPath = `/api/v1/kpis?from=${from}&to=${to}`;

  const db = await createBenchDatabase(opts.postgresUrl, "burst");
  const ctx = await createContext(testConfig({ DATABASE_URL: db.url, STRIPE_WEBHOOK_SECRET: SECRET }));
  // History and burst get sockets of their own: keep-alive sockets left idle during the rest
  // measurement are closed by the server, and one reused just as it closes would fail a request.
  const historyHttp = new HttpPool(CONNECTIONS);
  const postHttp = new HttpPool(CONNECTIONS);
  const readHttp = new HttpPool(READERS);
  let server: AppProcess | undefined;
  let worker: AppProcess | undefined;
  try {
    const { cookie, token } = await benchReader(ctx, "analyst");
    server = await startServe(db.url, { env: { STRIPE_WEBHOOK_SECRET: SECRET, LOG_LEVEL: "error" } });
    const url = server.url;
    const get = async (page: "dashboard" | "api") => {
      const res = await readHttp.send(`${url}${page === "dashboard" ? dashPath : apiPath}`, {
        headers: page === "dashboard" ? { cookie } : { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) throw new Error(`${page} → ${res.status}: ${res.body.slice(0, 200)}`);
      return res.body;
    };

    // The shop before the burst: its history applied and its snapshots built (what the worker does).
    const signedHistory = signAll(history, SECRET);
    await runConcurrent(signedHistory.length, CONNECTIONS, async (i) => {
      const status = await postEvent(historyHttp, url, signedHistory[i]!);
      if (status !== 200) throw new Error(`history event → ${status}`);
    });
    historyHttp.close();
    await rebuildDirtyDays(ctx);
    for (let i = 0; i < 5; i++) await get("dashboard").then(() => get("api"));

    // At rest: the same readers, nothing else running.
    const idle = { dashboard: [] as number[], api: [] as number[] };
    for (const page of ["dashboard", "api"] as const) {
      idle[page] = (await runConcurrent(idleRequests, READERS, async () => void (await get(page)))).latencies;
    }
    const idleDash = summarise(idle.dashboard);
    const idleApi = summarise(idle.api);
    opts.log(
      `at rest: /dashboard p95 ${round(idleDash.p95, 1)} ms, /api/v1/kpis p95 ${round(idleApi.p95, 1)} ms`,
    );

    worker = startWorkerProcess(db.url, { LOG_LEVEL: "error" });
    const signed = signAll(burst, SECRET);
    const statuses = new Map<number, number>();
    const failures = new Map<string, number>();
    const readFailures: string[] = [];
    const busy = { dashboard: [] as number[], api: [] as number[] };
    let peakRss = processRssMb(server.child.pid);
    const rssTimer = setInterval(() => {
      peakRss = Math.max(peakRss, processRssMb(server?.child.pid));
    }, 200);
    let bursting = true;
    let lastOk = process.hrtime.bigint();
    const reader = async (n: number) => {
      for (let i = n; bursting; i++) {
        const page = i % 2 === 0 ? "dashboard" : "api";
        const started = process.hrtime.bigint();
        try {
          await get(page);
        } catch (err) {
          // A failed read is reported (and fails the target), not a crash of the bench.
          readFailures.push(err instanceof Error ? err.message : String(err));
          continue;
        }
        if (bursting) busy[page].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    };
    const cpuBefore = processCpuMs(server.child.pid);
    opts.log(`burst: ${signed.length} events, ${CONNECTIONS} connections, ${READERS} dashboard readers`);
    const readers = Array.from({ length: READERS }, (_, n) => reader(n));
    let posted: { latencies: number[]; wallMs: number };
    try {
      posted = await runConcurrent(signed.length, CONNECTIONS, async (i) => {
        const d = signed[i]!;
        const res = await postHttp.send(`${url}/webhooks/stripe`, {
          method: "POST",
          // Signed as it is sent, as Stripe does: the burst lasts longer than the 300 s tolerance.
          headers: { "content-type": "application/json", "stripe-signature": signPayload(d.payload, SECRET) },
          body: d.payload,
        });
        const status = res.status;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status < 200 || status >= 300) {
          const reason = `${status} ${res.body.slice(0, 120)}`;
          failures.set(reason, (failures.get(reason) ?? 0) + 1);
        }
        if (status >= 200 && status < 300) lastOk = process.hrtime.bigint();
      });
    } finally {
      bursting = false;
      clearInterval(rssTimer);
      await Promise.all(readers);
    }
    const cpuMsPerEvent = (processCpuMs(server.child.pid) - cpuBefore) / signed.length;
    const rate = (signed.length / posted.wallMs) * 1000;
    const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((a, [, n]) => a + n, 0);
    if (failures.size) opts.log(`failed requests: ${JSON.stringify(Object.fromEntries(failures))}`);
    if (readFailures.length) opts.log(`failed dashboard reads: ${readFailures.slice(0, 5).join("; ")}`);
    opts.log(
      `burst: ${round(rate, 1)} events/s; statuses ${JSON.stringify(Object.fromEntries(statuses))}; serve peak RSS ${round(peakRss, 1)} MB`,
    );

    // Fresh: /api/v1/kpis (snapshots) equal to the KPIs computed from the raw tables, which every
    // 2xx committed to. Timed from the burst's last 2xx.
    const shown = JSON.parse(await get("api")) as { timezone: string };
    const raw = JSON.stringify(
      await computeKpisRaw(ctx, { from, to, timezone: shown.timezone, livemode: ctx.config.livemode }),
    );
    let freshMs = Number.NaN;
    let lastShown = "";
    for (;;) {
      lastShown = JSON.stringify(JSON.parse(await get("api")));
      const waited = Number(process.hrtime.bigint() - lastOk) / 1e6;
      if (lastShown === raw) {
        freshMs = waited;
        break;
      }
      if (waited > FRESHNESS_LIMIT_MS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    opts.log(
      Number.isNaN(freshMs)
        ? `snapshots still differ from raw ${FRESHNESS_LIMIT_MS / 1000} s after the burst: ${lastShown.slice(0, 300)} vs ${raw.slice(0, 300)}`
        : `snapshots show the final state ${round(freshMs / 1000, 1)} s after the burst's last 2xx`,
    );

    const problems = effectsDiff(expectedEffects(all), await measuredEffects(db.url));
    opts.log(
      `effects: ${problems.length ? problems.join("; ") : "as the stream says (each event applied once)"}`,
    );
    const lat = summarise(posted.latencies);
    const busyDash = summarise(busy.dashboard);
    const busyApi = summarise(busy.api);
    const dashRatio = busyDash.p95 / idleDash.p95;
    const apiRatio = busyApi.p95 / idleApi.p95;
    const worst = Math.max(dashRatio, apiRatio);
    const allOk = ok === signed.length && problems.length === 0;
    const fresh = freshMs <= 60_000;
    return {
      name: "burst",
      description: `dashboard p95 while ${signed.length} events arrive on ${CONNECTIONS} connections vs at rest (worse of /dashboard and /api/v1/kpis)`,
      baseline: { label: "dashboard p95 at rest", value: idleDash.p95, unit: "ms" },
      measured: { label: "dashboard p95 during the burst", value: busyDash.p95, unit: "ms" },
      ratio: worst,
      target: "every event 2xx and applied once; p95 ≤ 3× at rest; fresh ≤ 60 s after; serve RSS < 300 MB",
      pass: allOk && readFailures.length === 0 && worst <= 3 && fresh && peakRss < 300,
      figures: [
        { label: "burst events/s", value: rate, unit: "events/s" },
        { label: "burst wall time", value: round(posted.wallMs / 1000, 2), unit: "s" },
        { label: "2xx responses", value: ok, unit: "events" },
        { label: "event p50", value: lat.p50, unit: "ms" },
        { label: "event p99", value: lat.p99, unit: "ms" },
        { label: "event max", value: lat.max, unit: "ms" },
        { label: "server CPU per event", value: cpuMsPerEvent, unit: "ms" },
        { label: "/dashboard p95 ratio (burst ÷ rest)", value: dashRatio, unit: "×" },
        { label: "/api/v1/kpis p95 at rest", value: idleApi.p95, unit: "ms" },
        { label: "/api/v1/kpis p95 during the burst", value: busyApi.p95, unit: "ms" },
        { label: "/api/v1/kpis p95 ratio (burst ÷ rest)", value: apiRatio, unit: "×" },
        {
          label: "dashboard requests during the burst",
          value: busy.dashboard.length + busy.api.length,
          unit: "requests",
        },
        { label: "failed dashboard reads during the burst", value: readFailures.length, unit: "requests" },
        { label: "fresh after the last 2xx", value: round(freshMs / 1000, 2), unit: "s" },
        { label: "serve peak RSS", value: peakRss, unit: "MB" },
        { label: "effects differing from the stream", value: problems.length, unit: "fields" },
      ],
      size: { events: signed.length, connections: CONNECTIONS, readers: READERS, history: HISTORY },
      quick: opts.quick,
    };
  } finally {
    historyHttp.close();
    postHttp.close();
    readHttp.close();
    await worker?.kill("SIGTERM");
    await server?.kill("SIGTERM");
    await closeContext(ctx);
    await db.drop();
  }
}
