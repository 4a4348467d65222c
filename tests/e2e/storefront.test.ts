import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliActor } from "../../src/audit/index.ts";
import { createProduct } from "../../src/catalog/index.ts";
import { DESKTOP, type E2e, PHONE, SCREENSHOTS, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
const DOCS = join(process.cwd(), "docs", "screenshots");

/** A screenshot at both sizes (the phone one in a second context with the same cookies), kept beside the docs. */
async function shootBoth(page: Page, name: string): Promise<void> {
  await shoot(page, `${name}`);
  const phone = await page
    .context()
    .browser()!
    .newContext({
      baseURL: e2e.server.url,
      viewport: PHONE,
      storageState: await page.context().storageState(),
    });
  const small = await phone.newPage();
  await small.goto(page.url());
  await shoot(small, `${name}-phone`);
  await phone.close();
  mkdirSync(DOCS, { recursive: true });
  for (const file of [name, `${name}-phone`])
    copyFileSync(join(SCREENSHOTS, `${file}.png`), join(DOCS, `${file}.png`));
}

/** Names of the product cards on the page, in order. */
const cardNames = (page: Page) => page.locator(".product-card h3").allTextContents();

beforeAll(async () => {
  e2e = await startE2e();
  // A small catalogue over three categories, so search and filters have something to narrow.
  const extra = [
    { sku: "TEA-ASSAM", name: "Assam breakfast tea", category: "Tea", priceAmount: 1200 },
    { sku: "TEA-OOLONG", name: "Oolong tea", category: "Tea", priceAmount: 2600 },
    { sku: "BRW-POT", name: "Glass teapot", category: "Brewing", priceAmount: 3900 },
    { sku: "BRW-SIEVE", name: "Tea sieve", category: "Brewing", priceAmount: 700 },
  ];
  for (const p of extra)
    await createProduct(
      e2e.ctx,
      { ...p, currency: "usd", stockOnHand: 50, description: `${p.name}, for the e2e shop.` },
      cliActor,
    );
});
afterAll(() => e2e?.stop());

describe("storefront: sign up, find, buy with an address, get it shipped", () => {
  let shopper: BrowserContext;
  let page: Page;
  let orderNumber = "";

  it("lets a visitor search and filter in the URL, and see prices with a sign-in prompt", async () => {
    shopper = await e2e.browser.newContext({ baseURL: e2e.server.url, viewport: DESKTOP });
    page = await shopper.newPage();
    await page.goto("/");
    expect(await page.locator(".product-card img.product-image").count()).toBeGreaterThan(0);
    await shootBoth(page, "shop-catalogue");

    await page.getByLabel("Search", { exact: true }).fill("tea");
    await Promise.all([page.waitForURL("**/?q=tea*"), page.getByRole("button", { name: "Apply" }).click()]);
    expect(await cardNames(page)).toContain("Oolong tea");
    expect(await cardNames(page)).not.toContain("Gooseneck kettle");

    await page.getByLabel("Category").selectOption("Tea");
    await page.getByLabel("Min price").fill("20");
    await Promise.all([
      page.waitForURL("**/?q=tea&category=Tea&min=20*"),
      page.getByRole("button", { name: "Apply" }).click(),
    ]);
    expect(await cardNames(page)).toEqual(["Oolong tea"]);
    await shootBoth(page, "shop-search-filtered");

    await page.getByLabel("Max price").fill("ten");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.locator("#max-error").textContent()).resolves.toContain(
      "must be an amount in currency units",
    );

    await page.goto("/?q=tea&category=Tea&min=20");
    await page.getByRole("link", { name: "Oolong tea" }).click();
    await expect(page.locator(".price-large").textContent()).resolves.toContain("$26.00");
    expect(await page.getByRole("button", { name: /Add to cart/ }).count()).toBe(0);
    await shootBoth(page, "shop-product-signed-out");
  });

  it("signs up from the product page and comes back to it, able to buy", async () => {
    await page.getByRole("link", { name: "Sign in to buy" }).click();
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL("**/signup?next=*");
    await page.getByLabel("Your name").fill("Robin Shopper");
    await page.getByLabel("E-mail").fill("robin@example.test");
    await page.getByLabel("Password").fill("short");
    await page.getByLabel("Password").evaluate((el) => el.removeAttribute("required"));
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#signup-password-error").textContent()).resolves.toContain(
      "at least 12 characters",
    );
    await shootBoth(page, "shop-signup-error");
    await page.getByLabel("Password").fill("a long enough passphrase");
    await Promise.all([
      page.waitForURL("**/products/*"),
      page.getByRole("button", { name: "Create account" }).click(),
    ]);
    await expect(page.getByRole("button", { name: /Add to cart/ }).isVisible()).resolves.toBe(true);
  });

  it("buys with a shipping address on the offline pay page and lands on the thank-you page", async () => {
    await page.getByLabel("Quantity").fill("2");
    await Promise.all([
      page.waitForURL("**/cart"),
      page.getByRole("button", { name: /Add to cart/ }).click(),
    ]);
    await Promise.all([
      page.waitForURL("**/checkout/offline/**"),
      page.getByRole("button", { name: /Check out/ }).click(),
    ]);
    await page.getByLabel("Address", { exact: true }).fill("4 Quay Street");
    await page.getByLabel("City").fill("Galway");
    await page.getByLabel("Postal code").fill("H91 X2E4");
    await page.getByLabel("Country").selectOption("IE");
    await shootBoth(page, "shop-pay-address");
    await Promise.all([page.waitForURL("**/thank-you"), page.getByRole("button", { name: /^Pay/ }).click()]);
    await expect(page.locator("h1").textContent()).resolves.toBe("Thank you for your order!");
    await expect(page.getByRole("status").textContent()).resolves.toContain("Your payment is confirmed");
    await expect(page.locator("address").textContent()).resolves.toContain("4 Quay Street");
    orderNumber = new URL(page.url()).pathname.split("/")[2]!;
    await shootBoth(page, "shop-thank-you");
    await page.getByRole("link", { name: "View your order" }).click();
    await expect(page.locator(".badge").first().textContent()).resolves.toBe("paid");
  });

  it("ops fulfil with carrier and tracking; the customer sees them on the order page", async () => {
    const ops = await signIn(e2e, "ops", DESKTOP);
    await ops.goto(`/admin/orders/${orderNumber}`);
    await expect(ops.locator("address").textContent()).resolves.toContain("Galway");
    await ops.getByLabel("Carrier").fill("An Post");
    await ops.getByLabel("Tracking number").fill("CE123456789IE");
    await ops.locator("#fulfill-reason").fill("Packed and handed to the carrier");
    await Promise.all([
      ops.waitForURL("**notice=fulfilled*"),
      ops.getByRole("button", { name: "Mark fulfilled" }).click(),
    ]);
    await shootBoth(ops, "ops-order-fulfilled-tracking");
    await ops.context().close();

    await page.reload();
    await expect(page.locator(".badge").first().textContent()).resolves.toBe("fulfilled");
    await expect(page.locator(".tracking-number").textContent()).resolves.toBe("CE123456789IE");
    await expect(page.locator("#shipping-h + dl").textContent()).resolves.toContain("An Post");
    await shootBoth(page, "shop-order-tracking");
    await shopper.close();
  });
});
