import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";
import { readZip } from "../../tests/support/export-read.ts";

const work = mkdtempSync(join(tmpdir(), "revintel-export-"));
const runner = cliRunner("export");
const cli = runner.inProcess;

afterAll(runner.cleanup);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("revintel export", () => {
  it("writes a pack as a zip and as a directory, each with its manifest", async () => {
    expect((await cli(["migrate"])).code).toBe(0);
    const zipped = await cli([
      "export",
      "ops",
      "--from",
      "2026-01-01",
      "--to",
      "2026-01-31",
      "--out",
      work,
      "--zip",
      "--json",
    ]);
    expect(zipped.code).toBe(0);
    const zipFile = join(work, "ops_2026-01-01_2026-01-31.zip");
    expect(JSON.parse(zipped.out)).toMatchObject({ pack: "ops", written_to: zipFile });
    expect([...readZip(readFileSync(zipFile)).keys()]).toEqual([
      "unfulfilled_orders.csv",
      "data_quality_issues.csv",
      "failed_webhook_events.csv",
      "manifest.json",
    ]);
    const dir = join(work, "bi");
    const loose = await cli(["export", "bi", "--from", "2026-01-01", "--to", "2026-01-02", "--out", dir]);
    expect(loose.code).toBe(0);
    expect(loose.out).toMatch(/dim_date\.csv\s+2\s/);
    expect(existsSync(join(dir, "manifest.json"))).toBe(true);
  }, 300_000);

  it("exits 2 naming the flag or argument on bad input", async () => {
    const day = await cli(["export", "finance", "--from", "2026-02-30", "--to", "2026-03-01", "--out", work]);
    expect(day.code).toBe(2);
    expect(day.err).toContain("--from");
    const pii = await cli([
      "export",
      "finance",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-02",
      "--out",
      work,
      "--pii",
    ]);
    expect(pii.code).toBe(2);
    expect(pii.err).toContain("--pii");
    const pack = await cli([
      "export",
      "payroll",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-02",
      "--out",
      work,
    ]);
    expect(pack.code).toBe(2);
    expect(pack.err).toContain("pack");
  }, 120_000);
});
