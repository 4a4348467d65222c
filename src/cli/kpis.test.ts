import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(join(tmpdir(), "revintel-kpis-"));

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
    timeout: 90_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("revintel snapshots build / kpis", () => {
  it("builds snapshots and prints the contract JSON and a readable table", () => {
    expect(cli(["migrate"]).code).toBe(0);
    const built = cli(["snapshots", "build", "--from", "2026-01-01", "--to", "2026-01-31", "--json"]);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.out)).toMatchObject({ from: "2026-01-01", to: "2026-01-31", days: 31 });
    const json = cli(["kpis", "--from", "2026-01-01", "--to", "2026-01-31", "--currency", "usd", "--json"]);
    expect(json.code).toBe(0);
    const kpis = JSON.parse(json.out);
    expect(kpis).toMatchObject({ from: "2026-01-01", currency: "usd", gross_revenue: 0, aov: null });
    expect(Object.keys(kpis)[4]).toBe("gross_revenue");
    const table = cli(["kpis", "--from", "2026-01-01", "--to", "2026-01-31"]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/gross_revenue\s+\$0\.00/);
    expect(table.out).toMatch(/net_revenue_retention\s+—/);
  }, 300_000);

  it("exits 2 naming the flag on bad input", () => {
    const r = cli(["kpis", "--from", "2026-1-01", "--to", "2026-01-31"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--from");
    const both = cli(["snapshots", "build", "--days", "3", "--from", "2026-01-01", "--to", "2026-01-02"]);
    expect(both.code).toBe(2);
    expect(both.err).toContain("--days");
  }, 120_000);
});
