/**
 * The README quick start, as a new user runs it: `npm start` (= `revintel start`) on an empty embedded
 * database migrates, seeds the demo, prints the demo logins and serves /healthz and the login page;
 * SIGTERM then shuts it down cleanly (in-flight requests finish, exit code 0).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../bench/lib/processes.ts";
import { addDays, dayOf } from "../../src/analytics/core/periods.ts";
import { computeKpis } from "../../src/analytics/index.ts";
import { loadConfig } from "../../src/config/env.ts";
import { closeContext, createContext } from "../../src/context.ts";
import { runChecks } from "../../src/monitoring/index.ts";

const root = resolve(import.meta.dirname, "../..");

function waitFor(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((done, fail) => {
    let seen = "";
    const timer = setTimeout(
      () => fail(new Error(`no ${pattern} within ${ms} ms; output: ${seen.slice(-500)}`)),
      ms,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        done(seen);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`exited ${code} before ${pattern}; output: ${seen.slice(-500)}`));
    });
  });
}

/**
 * QUICK_START_DATA_DIR keeps the seeded database after the run, for CI's data-quality gate
 * (`revintel checks run --fail-on-issues` on the demo `npm start` seeded). It must be empty or absent.
 */
function startDirectory(kept: string | undefined): string {
  if (kept === undefined) return mkdtempSync(join(tmpdir(), "revintel-start-"));
  mkdirSync(kept, { recursive: true });
  if (readdirSync(kept).length > 0) throw new Error(`QUICK_START_DATA_DIR ${kept} is not empty`);
  return kept;
}

describe("quick start: npm start on an empty database", () => {
  const kept = process.env.QUICK_START_DATA_DIR || undefined;
  const dataDir = startDirectory(kept);
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill("SIGKILL");
    if (kept === undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it("migrates, seeds, prints the demo logins, serves, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    // Vite's BASE_URL and the test database settings are not the app's: a new user has neither.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !["BASE_URL", "DATABASE_URL", "NODE_ENV", "PORT"].includes(k),
      ),
    );
    child = spawn(process.execPath, [join(root, "bin/revintel.js"), "start"], {
      cwd: root,
      env: { ...env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = await waitFor(child, /Stop: {2}Ctrl\+C/, 280_000);
    expect(output).toContain(`serving at http://127.0.0.1:${port}`);
    expect(output).toContain("admin@demo.revintel.test");
    expect(output).toContain(`Reset: stop it, delete ${dataDir}`);
    // Logs at warn, progress on stderr: stdout is the start-up block alone, short and plain.
    expect(output.trim().split("\n").length).toBeLessThan(40);
    expect(output).not.toContain("\x1b");

    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const login = await fetch(`${base}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Sign in");

    const exited = new Promise<number | null>((done) => child!.once("exit", (code) => done(code)));
    const inFlight = fetch(`${base}/`).then((r) => r.status);
    child.kill("SIGTERM");
    expect(await inFlight).toBe(200);
    expect(await exited).toBe(0);
    console.log(
      `quick-start: seeded and served on port ${port}; SIGTERM finished the in-flight request and exited 0`,
    );
  }, 320_000);

  it("the full demo keeps every KPI alive in the default 7- and 30-day views, in every currency, with clean checks", async () => {
    const ctx = await createContext(
      loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", PAYMENTS_MODE: "offline" }),
    );
    try {
      const today = dayOf(ctx.clock.now(), ctx.config.reportingTimezone);
      let subscribers = 0;
      for (const days of [7, 30]) {
        const range = { from: addDays(today, -(days - 1)), to: today };
        const usd = await computeKpis(ctx, { ...range, currency: "usd" });
        expect(usd.refunds, `${days} days`).toBeGreaterThan(0);
        expect(usd.disputes, `${days} days`).toBeGreaterThan(0);
        expect(usd.customer_churn_rate, `${days} days`).toBeGreaterThan(0);
        for (const movement of ["churn", "expansion", "reactivation"] as const)
          expect(usd.mrr_movements[movement], `${days} days ${movement}`).toBeGreaterThan(0);
        if (days === 30) expect(usd.disputes_lost).toBeGreaterThan(0);
        subscribers = usd.subscribers;
        for (const currency of ["eur", "kwd"]) {
          const k = await computeKpis(ctx, { ...range, currency });
          expect(k.mrr, `${currency} ${days} days`).toBeGreaterThan(0);
          if (days === 30) subscribers += k.subscribers;
        }
      }
      // Subscribers are counted per currency; the three together.
      expect(subscribers).toBeGreaterThanOrEqual(300);
      const summary = await runChecks(ctx);
      expect(summary.open).toEqual([]);
    } finally {
      await closeContext(ctx);
    }
  }, 120_000);
});
