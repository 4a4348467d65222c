/**
 * `revintel audit verify` in this process (spawning is slow): the last seq and hash it reports, and
 * the anchor flags. The chain logic itself is tested in src/audit/service.test.ts.
 */
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";
import { onPostgres } from "../../tests/support/db.ts";
import { cloneTemplate } from "../../tests/support/postgres-template.ts";
import { audit, cliActor } from "../audit/index.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";

const runner = cliRunner("audit-cli");
const dataDir = runner.dataDir;
let target: { env: Record<string, string>; drop(): Promise<void> };

async function withDb<T>(work: (db: Database["db"]) => Promise<T>): Promise<T> {
  const database = target.env.DATABASE_URL
    ? await openDatabase({ databaseUrl: target.env.DATABASE_URL, poolSize: 2 })
    : await openDatabase({ dataDir });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** Run `revintel …` in this process against the test database; exit code, stdout, stderr. */
const cli = (args: string[]) => runner.inProcess(args, target.env);

beforeAll(async () => {
  if (onPostgres) {
    const clone = await cloneTemplate(process.env.TEST_DATABASE_URL!);
    target = { env: { DATABASE_URL: clone.url }, drop: clone.drop };
  } else {
    target = { env: {}, drop: async () => {} };
    const database = await openDatabase({ dataDir });
    await migrate(database);
    await database.close();
  }
  await withDb(async (db) => {
    for (let i = 1; i <= 6; i++) await audit(db, cliActor, "cli.test", { type: "order", id: i });
  });
});
afterAll(async () => {
  await target.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("revintel audit verify", () => {
  let lastHash = "";

  it("prints the last seq and hash, as text and in --json", async () => {
    const json = await cli(["audit", "verify", "--json"]);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.out);
    expect(result).toMatchObject({ ok: true, rows: 6, firstBreak: null, lastSeq: 6 });
    expect(result.lastHash).toMatch(/^[0-9a-f]{64}$/);
    lastHash = result.lastHash;
    const text = await cli(["audit", "verify"]);
    expect(text).toMatchObject({ code: 0, err: "" });
    expect(text.out).toContain(`intact: 6 row(s) verified, last #6 ${lastHash}`);
  });

  it("exits 0 with a recorded anchor present, and 1 naming it once the last rows are cut off", async () => {
    const anchored = await cli([
      "audit",
      "verify",
      "--expect-hash",
      lastHash.toUpperCase(),
      "--min-seq",
      "6",
    ]);
    expect(anchored).toMatchObject({ code: 0, err: "" });
    expect(anchored.out).toContain(`anchor row #6 ${lastHash} found`);
    expect((await cli(["audit", "verify", "--expect-hash", lastHash])).code).toBe(0);

    await withDb((db) => db.execute(sql`DELETE FROM audit_log WHERE seq >= 5`));
    expect(await cli(["audit", "verify"])).toMatchObject({
      code: 0,
      out: expect.stringContaining("last #4"),
    });
    const cut = await cli(["audit", "verify", "--expect-hash", lastHash, "--min-seq", "6"]);
    expect(cut.code).toBe(1);
    expect(cut.err).toContain("anchor row #6 is missing: the chain ends at #4");
    const json = await cli(["audit", "verify", "--json", "--expect-hash", lastHash, "--min-seq", "6"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      ok: false,
      lastSeq: 4,
      anchor: { problem: "anchor_missing" },
    });
    const byHash = await cli(["audit", "verify", "--expect-hash", lastHash]);
    expect(byHash.code).toBe(1);
    expect(byHash.err).toContain(`anchor ${lastHash} not found`);
  });

  it("exits 2 naming --expect-hash or --min-seq when either is malformed", async () => {
    const hash = "a".repeat(64);
    for (const [args, flag] of [
      [["--expect-hash", "abc"], "--expect-hash"],
      [["--expect-hash", "g".repeat(64)], "--expect-hash"],
      [["--expect-hash", hash, "--min-seq", "0"], "--min-seq"],
      [["--expect-hash", hash, "--min-seq", "1.5"], "--min-seq"],
      [["--expect-hash", hash, "--min-seq", "-3"], "--min-seq"],
      [["--min-seq", "3"], "--min-seq"],
    ] as const) {
      const r = await cli(["audit", "verify", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain(`${flag}:`);
    }
  });
});
