import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";

const runner = cliRunner("progress");
const cli = runner.run;

beforeAll(() => {
  expect(cli(["migrate"]).code).toBe(0);
}, 120_000);
afterAll(runner.cleanup);

// A child process's stderr is a pipe, not a terminal: progress comes as plain lines, or not at all.
describe("progress of long commands (end to end, not a terminal)", () => {
  it("seed-demo --json prints the JSON result only: no progress on stdout or stderr", () => {
    const r = cli(["seed-demo", "--customers", "12", "--months", "1", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).customers).toBe(12);
    expect(r.err).toBe("");
  }, 180_000);

  it("simulate and snapshots build: plain progress lines on stderr with no escape codes; none with --json", () => {
    const plain = cli(["simulate", "--days", "2", "--seed", "3"]);
    expect(plain.code).toBe(0);
    expect(plain.err).toMatch(/^simulate: 2\/2 days \(100%\), \d+:\d\d elapsed · done$/m);
    expect(plain.err).not.toContain("\x1b");
    expect(plain.err).not.toContain("\r");
    expect(plain.out).not.toContain("simulate:");

    const json = cli(["simulate", "--days", "1", "--seed", "4", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).days).toBe(1);
    expect(json.err).toBe("");

    const build = cli(["snapshots", "build", "--days", "3"]);
    expect(build.code).toBe(0);
    expect(build.err).toMatch(/^snapshots build: \d+ stages, \d+:\d\d elapsed · 3 day\(s\) rebuilt$/m);
    expect(build.err).not.toContain("\x1b");
    const buildJson = cli(["snapshots", "build", "--days", "3", "--json"]);
    expect(JSON.parse(buildJson.out).days).toBe(3);
    expect(buildJson.err).toBe("");
  }, 180_000);
});
