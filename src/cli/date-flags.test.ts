import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";

const runner = cliRunner("date-flags");
const cli = runner.inProcess;

afterAll(runner.cleanup);

/** Date flags share the web's date range (2000-01-01..2100-12-31); a date outside it exits 2 naming the flag. */
describe("CLI date flags", () => {
  it.each([
    ["--from", ["kpis", "--from", "0000-01-01", "--to", "2026-01-31"]],
    ["--to", ["kpis", "--from", "2026-01-01", "--to", "9999-12-31"]],
    ["--from", ["export", "finance", "--from", "0000-01-01", "--to", "2026-01-31", "--out", "unused"]],
    ["--to", ["export", "finance", "--from", "2026-01-01", "--to", "2026123456-01-01", "--out", "unused"]],
    ["--from", ["snapshots", "build", "--from", "1999-12-31", "--to", "2026-01-31"]],
    ["--to", ["snapshots", "build", "--from", "2026-01-01", "--to", "2101-01-01"]],
    ["--since", ["stripe", "sync", "--since", "0000-01-01"]],
  ])(
    "exits 2 naming %s for a date outside the range (%j)",
    async (flag, args) => {
      const r = await cli(args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(`${flag}:`);
      expect(r.err).toContain("2000-01-01");
      expect(r.err).not.toMatch(/select|insert|syntax/i);
    },
    60_000,
  );

  it("documents the range in --help", async () => {
    for (const command of [["kpis"], ["export"], ["snapshots", "build"], ["stripe", "sync"]]) {
      const help = await cli([...command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.out).toContain("2000-01-01..2100-12-31");
    }
  }, 60_000);
});
