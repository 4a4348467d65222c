import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";
import { openDatabase } from "../db/client.ts";

const runner = cliRunner("checks");
const { dataDir } = runner;
const cli = runner.inProcess;

/** The embedded database admits one process at a time: open, change, close before the CLI runs. */
async function onDatabase(work: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<unknown>) {
  const database = await openDatabase({ dataDir });
  try {
    await work(database.db);
  } finally {
    await database.close();
  }
}

afterAll(runner.cleanup);

describe("revintel checks (end to end)", () => {
  it("lists every check with its description", async () => {
    const r = await cli(["checks", "list", "--json"]);
    expect(r.code).toBe(0);
    const names = (JSON.parse(r.out) as Array<{ name: string }>).map((c) => c.name);
    expect(names).toHaveLength(13);
    for (const name of [
      "snapshot-reconciliation",
      "charge-refunds",
      "api-versions",
      "unresolved-discounts",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("exits 1 on an open issue with --fail-on-issues, and 0 once the condition is fixed", async () => {
    expect((await cli(["migrate"])).code).toBe(0);
    expect((await cli(["checks", "run", "--fail-on-issues"])).code).toBe(0);
    await onDatabase((db) =>
      db.execute(sql`INSERT INTO stripe_events (id, type, created, livemode, payload, received_at, status, attempts)
                     VALUES ('evt_e2e_1', 'charge.refunded', now(), false, '{}', now(), 'failed', 3)`),
    );
    const failing = await cli(["checks", "run", "--fail-on-issues"]);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/webhook-health\s+critical\s+1\s+Stripe event evt_e2e_1/);
    expect(failing.err).toContain("1 open data-quality issue(s)");

    await onDatabase((db) =>
      db.execute(sql`UPDATE stripe_events SET status = 'processed' WHERE id = 'evt_e2e_1'`),
    );
    const passing = await cli(["checks", "run", "--fail-on-issues", "--json"]);
    expect(passing.code).toBe(0);
    const summary = JSON.parse(passing.out) as {
      openTotal: number;
      outcomes: Array<{ check: string; autoResolved: number }>;
    };
    expect(summary.openTotal).toBe(0);
    expect(summary.outcomes.find((o) => o.check === "webhook-health")?.autoResolved).toBe(1);
  }, 300_000);

  it("exits 2 naming an unknown check", async () => {
    const r = await cli(["checks", "run", "--check", "no-such-check"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown check");
  }, 60_000);
});
