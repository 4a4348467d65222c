import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(join(tmpdir(), "revintel-orders-cli-"));

function cli(args: string[]) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("DATABASE_") && !["NODE_ENV", "BASE_URL", "PORT"].includes(k),
    ),
  );
  const result = spawnSync(process.execPath, [join(root, "bin/revintel.js"), ...args], {
    cwd: root,
    env: { ...clean, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("revintel orders", () => {
  it("lists (empty) as JSON, expires nothing, and names bad flags with exit 2", () => {
    expect(cli(["migrate"]).code).toBe(0);
    const list = cli(["orders", "list", "--json"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toEqual({ total: 0, orders: [] });
    expect(JSON.parse(cli(["orders", "expire", "--json"]).out)).toEqual({ expired: 0 });
    const bad = cli(["orders", "list", "--status", "shipped"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("status");
    const missing = cli(["orders", "cancel", "--id", "999", "--reason", "not there"]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/not found/i);
  }, 120_000);
});
