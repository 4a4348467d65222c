import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, type TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { systemActor } from "../../audit/index.ts";

let ctx: TestContext;
let admin: TestClient;

beforeAll(async () => {
  ({
    ctx,
    clients: { admin },
  } = await createTestApp(["admin"]));
  await makeCharge(ctx.db, { amount: 4200, created: "2026-06-02T10:00:00Z" });
});
afterAll(() => ctx.destroy());

const build = (from: string, to: string, timezone?: string) =>
  buildSnapshots(ctx, { from, to, ...(timezone ? { timezone } : {}) }, systemActor);

/** The "Days covered" fact of the admin page: its text (tags stripped) and its data attributes. */
async function coverage(): Promise<{ text: string; gaps: string | null; otherZone: string | null }> {
  const html = await (await admin.get("/admin/snapshots")).text();
  const dd = html.match(/<dt>Days covered<\/dt>\s*<dd([^>]*)>([\s\S]*?)<\/dd>/);
  if (!dd) throw new Error("no Days covered fact on the page");
  const attr = (name: string) => dd[1]!.match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? null;
  return {
    text: dd[2]!
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
    gaps: attr("data-gaps"),
    otherZone: attr("data-other-zone"),
  };
}

describe("/admin/snapshots: the days covered", () => {
  it("says none before any build", async () => {
    expect((await coverage()).text).toBe("none yet");
  });

  it("counts the days never built between the first and last, and those built in another zone", async () => {
    const zone = ctx.config.reportingTimezone;
    const other = zone === "Asia/Kolkata" ? "UTC" : "Asia/Kolkata";
    await build("2026-06-01", "2026-06-03");
    await build("2026-06-07", "2026-06-07", other);
    const shown = await coverage();
    expect(shown).toMatchObject({ gaps: "3", otherZone: "1" });
    expect(shown.text).toBe(
      `1 Jun 2026 to 7 Jun 2026 3 day(s) in between never built 1 day(s) last built in another time zone than ${zone}: rebuild them`,
    );

    // Rebuilt in the reporting zone, the range is whole again.
    await build("2026-06-04", "2026-06-07");
    expect(await coverage()).toEqual({ text: "1 Jun 2026 to 7 Jun 2026", gaps: "0", otherZone: "0" });
  });

  it("falls back to the ledger's days for snapshots built before builds recorded theirs", async () => {
    await ctx.db.execute(sql`DELETE FROM snap_built_days`);
    const shown = await coverage();
    // The ledger has a row for the charge's day only.
    expect(shown).toEqual({
      text: "2 Jun 2026 to 2 Jun 2026 from the daily ledger: built before builds recorded their days; rebuild the range to record them",
      gaps: null,
      otherZone: "0",
    });
  });
});
