import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { inject } from "vitest";
import type { Role } from "../../../src/auth/index.ts";
import { type Running, runServer } from "../../../src/cli/serve.ts";
import { DEMO_USERS } from "../../../src/demo/users.ts";
import { createTestContext, type TestContext } from "../../support/context.ts";
import { resetCounters, setCounters } from "../../support/counters.ts";
import { e2eConfig, seedStaffData } from "./seed.ts";

/** The two viewports every page is looked at in (issue acceptance: 1440×900 and 390×844). */
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export const SCREENSHOTS = join(process.cwd(), "test-artifacts", "screenshots");

export interface E2e {
  ctx: TestContext;
  server: Running;
  browser: Browser;
  stop(): Promise<void>;
}

/**
 * The seeded staff data in a database of this file's own: a copy of the dump the suite's setup
 * seeded (tests/e2e/support/global-setup.ts), or seeded here on Postgres.
 */
async function seededContext(): Promise<TestContext> {
  const dump = inject("e2eSeededDump");
  if (dump) {
    // Numbered as if seeded here: the file's own rows must not take the seed's ids.
    setCounters(inject("e2eSeedCounters"));
    return createTestContext({ config: e2eConfig(), pgliteDump: new Blob([readFileSync(dump)]) });
  }
  resetCounters();
  const ctx = await createTestContext({ config: e2eConfig() });
  await seedStaffData(ctx);
  return ctx;
}

/** A seeded server on a free port and a headless Chromium. */
export async function startE2e(): Promise<E2e> {
  const ctx = await seededContext();
  const server = await runServer(ctx);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    ctx,
    server,
    browser,
    async stop() {
      await browser.close();
      await server.stop();
      await ctx.destroy();
    },
  };
}

/**
 * A fresh browser context signed in through the login form as the demo user of `role`. It asks for
 * reduced motion unless `motion` says otherwise, so charts are drawn at once, as they stay.
 */
export async function signIn(
  e2e: E2e,
  role: Role,
  viewport = { width: 1360, height: 900 },
  motion: "reduce" | "no-preference" = "reduce",
): Promise<Page> {
  const user = DEMO_USERS.find((u) => u.role === role)!;
  const context = await e2e.browser.newContext({ baseURL: e2e.server.url, viewport, reducedMotion: motion });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  return page;
}

/** Full-page screenshot once charts have drawn. */
export async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.waitForLoadState("networkidle");
  if (await page.locator("[data-chart]").count()) {
    await page.waitForSelector("[data-chart][data-rendered]", { timeout: 10_000 }).catch(() => undefined);
  }
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** The hrefs of the main navigation. */
export async function navHrefs(page: Page): Promise<string[]> {
  return page
    .locator('nav[aria-label="Main"] a')
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
}
