import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";

const runner = cliRunner("orders-cli");
const cli = runner.inProcess;

afterAll(runner.cleanup);

describe("revintel orders", () => {
  it("lists (empty) as JSON, expires nothing, and names bad flags with exit 2", async () => {
    expect((await cli(["migrate"])).code).toBe(0);
    const list = await cli(["orders", "list", "--json"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toEqual({ total: 0, orders: [] });
    expect(JSON.parse((await cli(["orders", "expire", "--json"])).out)).toEqual({ expired: 0 });
    const bad = await cli(["orders", "list", "--status", "shipped"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("status");
    const missing = await cli(["orders", "cancel", "--id", "999", "--reason", "not there"]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/not found/i);
  }, 120_000);
});
