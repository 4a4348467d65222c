/**
 * The README quick start, as a new user runs it: `npm start` (= `revintel start`) on an empty embedded
 * database migrates, seeds the demo, prints the demo logins and serves /healthz and the login page;
 * SIGTERM then shuts it down cleanly (in-flight requests finish, exit code 0).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../bench/lib/processes.ts";

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

describe("quick start: npm start on an empty database", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "revintel-start-"));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
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
    const output = await waitFor(child, /Press Ctrl\+C to stop/, 280_000);
    expect(output).toContain(`running at http://127.0.0.1:${port}`);
    expect(output).toContain("admin@demo.revintel.test");

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
});
