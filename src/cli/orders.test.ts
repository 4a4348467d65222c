import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";

const runner = cliRunner("orders-cli");
const cli = runner.run;

afterAll(runner.cleanup);

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
