import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, type E2e, PHONE, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.stop());

const HOME = { admin: "/dashboard", analyst: "/dashboard", ops: "/dashboard/ops", customer: "/" } as const;

/** The top bar's parts as laid out: each direct child's box, and the nav's lines of links. */
async function topbarLayout(page: Page) {
  return page.evaluate(() => {
    const bar = document.querySelector("header.topbar") as HTMLElement;
    const parts = Array.from(bar.children).map((el) => {
      const r = el.getBoundingClientRect();
      return {
        cls: el.className || el.tagName,
        top: Math.round(r.top),
        bottom: Math.round(r.bottom),
        width: r.width,
      };
    });
    const linkTops = new Set(
      Array.from(bar.querySelectorAll("nav a")).map((a) => Math.round(a.getBoundingClientRect().top)),
    );
    const input = bar.querySelector<HTMLInputElement>(".topbar-search input");
    return {
      height: bar.getBoundingClientRect().height,
      parts,
      navLines: linkTops.size,
      searchWidth: input ? input.getBoundingClientRect().width : null,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
}

describe.each(["admin", "ops", "analyst", "customer"] as const)("the top bar as %s", (role) => {
  it("is one line at 1440×900", async () => {
    const page = await signIn(e2e, role, DESKTOP);
    await page.goto(HOME[role]);
    const bar = await topbarLayout(page);
    // One line: every part (brand, links, search, account) shares one row and the links one line.
    const tops = bar.parts.map((p) => p.top);
    expect(Math.max(...tops) - Math.min(...tops), JSON.stringify(bar.parts)).toBeLessThan(16);
    expect(bar.navLines).toBe(1);
    expect(bar.height).toBeLessThan(64);
    if (role !== "customer") expect(bar.searchWidth).toBeGreaterThanOrEqual(130);
    expect(bar.overflow).toBeLessThanOrEqual(0);
    await shoot(page, `topbar-${role}-desktop`, { fullPage: false });
    await page.context().close();
  });

  it("stays usable at 390×844: nothing overflows and the search box keeps room to type", async () => {
    const page = await signIn(e2e, role, PHONE);
    await page.goto(HOME[role]);
    const bar = await topbarLayout(page);
    expect(bar.overflow).toBeLessThanOrEqual(0);
    if (role !== "customer") expect(bar.searchWidth).toBeGreaterThanOrEqual(200);
    await shoot(page, `topbar-${role}-phone`, { fullPage: false });
    await page.context().close();
  });
});
