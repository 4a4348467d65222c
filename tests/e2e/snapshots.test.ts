import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "../../src/audit/index.ts";
import { DESKTOP, type E2e, SCREENSHOTS, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.stop());

describe("snapshots page", () => {
  it("rebuilds a range from the page: the button says it is working, then the page names the days and rows", async () => {
    const page = await signIn(e2e, "admin", DESKTOP);
    await page.goto("/monitoring/issues");
    await page.getByRole("link", { name: "rebuild a range of days" }).click();
    await expect(page.locator("h1").innerText()).resolves.toBe("Snapshots");
    await page.fill('input[name="from"]', "2026-06-01");
    await page.fill('input[name="to"]', "2026-06-14");
    // Hold the form's answer until the working state has been seen (the rebuild itself is quick here).
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/admin/snapshots/rebuild", async (route) => {
      await held;
      await route.continue();
    });
    // The click waits for the navigation it starts, which is held: await it once released.
    const clicked = page.getByRole("button", { name: "Rebuild" }).click();
    // While the answer is held the old page is still shown; read it in the page (locators wait for the navigation).
    await page.waitForFunction(
      () => document.querySelector<HTMLButtonElement>("form[data-working] button")?.disabled === true,
    );
    const working = await page.evaluate(() => ({
      status: document.querySelector(".working-status")?.textContent,
      button: document.querySelector("form[data-working] button")?.textContent,
    }));
    expect(working).toEqual({
      status: "Working: rebuilding the snapshots in one transaction…",
      button: "Rebuilding…",
    });
    release();
    await clicked;
    const result = page.locator("[data-rebuild-result]");
    await result.waitFor();
    await expect(result.innerText()).resolves.toMatch(
      /^Rebuilt 14 day\(s\), 1 Jun 2026 to 14 Jun 2026: [\d,]+ row\(s\) written/,
    );
    const { rows } = await listAuditEvents(e2e.ctx, { action: "snapshots.build" });
    expect(rows[0]).toMatchObject({
      actorType: "user",
      after: { from: "2026-06-01", to: "2026-06-14", days: 14 },
    });
    await expect(page.locator(".snapshot-builds tbody tr").first().innerText()).resolves.toContain("(admin)");
    await shoot(page, "admin-snapshots");
    mkdirSync("docs/screenshots", { recursive: true });
    copyFileSync(join(SCREENSHOTS, "admin-snapshots.png"), join("docs/screenshots", "admin-snapshots.png"));
  });
});
