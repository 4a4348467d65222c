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
    // app.js is a deferred script: its submit handler is attached by the time the page has loaded.
    await page.waitForLoadState("load");
    await page.fill('input[name="from"]', "2026-06-01");
    await page.fill('input[name="to"]', "2026-06-14");
    // The working state, seen without leaving the page: a listener on window (after app.js's on the
    // document) cancels this one submission once app.js has reacted to it.
    const working = await page.evaluate(() => {
      window.addEventListener("submit", (e) => e.preventDefault(), { once: true });
      const form = document.querySelector<HTMLFormElement>("form[data-working]")!;
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
      form.requestSubmit(button);
      return {
        status: form.querySelector(".working-status")?.textContent,
        button: button.textContent,
        disabled: button.disabled,
      };
    });
    expect(working).toEqual({
      status: "Working: rebuilding the snapshots in one transaction…",
      button: "Rebuilding…",
      disabled: true,
    });
    // Then the real submission, from a fresh copy of the page.
    await page.reload();
    await page.waitForLoadState("load");
    await page.fill('input[name="from"]', "2026-06-01");
    await page.fill('input[name="to"]', "2026-06-14");
    await page.getByRole("button", { name: "Rebuild" }).click();
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
