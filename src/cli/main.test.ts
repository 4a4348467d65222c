import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(join(tmpdir(), "revintel-cli-"));

function cli(args: string[], env: Record<string, string> = {}) {
  // vitest exports BASE_URL ("/") for Vite; it is not ours.
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("DATABASE_") && !["NODE_ENV", "BASE_URL", "PORT"].includes(k),
    ),
  );
  const result = spawnSync(process.execPath, [join(root, "bin/revintel.js"), ...args], {
    cwd: root,
    env: { ...clean, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("revintel CLI exit codes", () => {
  it("prints the version and help with exit 0", () => {
    expect(cli(["--version"])).toMatchObject({ code: 0, out: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(cli(["--help"]).out).toContain("check-deploy");
  });

  it("exits 2 on an unknown command", () => {
    expect(cli(["no-such-command"]).code).toBe(2);
  });

  it("exits 2 naming the variable when the environment is invalid", () => {
    const r = cli(["migrate"], { PORT: "eighty" });
    expect(r.code).toBe(2);
    expect(r.err).toContain("PORT");
  });

  it("migrates, then exits 2 naming a bad flag", () => {
    const migrated = cli(["migrate"]);
    expect(migrated.err).toBe("");
    expect(migrated.code).toBe(0);
    const r = cli([
      "users",
      "create",
      "--email",
      "x@example.test",
      "--role",
      "wizard",
      "--password",
      "long enough password",
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--role");
  });

  it("exits 1 from check-deploy naming each failure in a bad environment", () => {
    const r = cli(["check-deploy"], {
      NODE_ENV: "production",
      SESSION_SECRET: "short",
      BASE_URL: "http://x.example",
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL\s+SESSION_SECRET/);
    expect(r.out).toMatch(/FAIL\s+BASE_URL/);
    expect(r.out).toMatch(/FAIL\s+DATABASE_URL/);
  });

  it("verifies the audit chain, and exits 1 naming the row after tampering", async () => {
    const email = "cli-admin@example.test";
    expect(
      cli(["users", "create", "--email", email, "--role", "admin", "--password", "long enough password"])
        .code,
    ).toBe(0);
    expect(cli(["users", "set-role", "--email", email, "--role", "analyst"]).code).toBe(0);
    expect(cli(["audit", "verify"])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/2 row\(s\) verified, last #2 [0-9a-f]{64}\n/),
    });
    const db = await PGlite.create(dataDir);
    await db.query(`UPDATE audit_log SET after = '{"role":"admin"}'::jsonb WHERE seq = 2`);
    await db.close();
    const r = cli(["audit", "verify"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("row 2");
  });

  it("exits 2 naming --expect-hash when audit verify is given a malformed hash", () => {
    const r = cli(["audit", "verify", "--expect-hash", "not-a-hash", "--min-seq", "2"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--expect-hash:");
  });
});
