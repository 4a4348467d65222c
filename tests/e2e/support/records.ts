import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import type { Role } from "../../../src/auth/index.ts";
import { type E2e, signIn } from "./app.ts";

/** The dashboards and the staff roles that may open each (docs/rbac_matrix.md). */
export const DASHBOARDS: Array<{ path: string; roles: Role[] }> = [
  { path: "/dashboard", roles: ["analyst", "admin"] },
  { path: "/dashboard/subscriptions", roles: ["analyst", "admin"] },
  { path: "/dashboard/ops", roles: ["ops", "analyst", "admin"] },
  { path: "/dashboard/products", roles: ["ops", "analyst", "admin"] },
];

/** "30 days" on the test clock: 2026-05-17..2026-06-15. */
export const RANGE = "from=2026-05-17&to=2026-06-15&currency=usd";

export interface Combined {
  figure: number | null;
  result: number | null;
  rows: number;
}

/** The CSV of a records page: exactly its rows, combined as the page says (sum, mean or rate). */
export async function csvCombined(page: Page, href: string): Promise<Combined> {
  await page.goto(href);
  const figureText = await page.locator("[data-figure]").getAttribute("data-figure");
  const figure = figureText === "" || figureText === null ? null : Number(figureText);
  const combine = (await page.locator("[data-denominator]").count()) ? "ratio" : "sum";
  const [path, query] = href.split("?");
  const res = await page.request.get(`${path}/export.csv?${query}`);
  expect(res.status()).toBe(200);
  const lines = (await res.text()).trim().split("\r\n");
  const header = lines[0]!.split(",");
  const vi = header.indexOf("value");
  const di = header.indexOf("denominator");
  let value = 0;
  let denominator = 0;
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    value += Number(cells[vi]);
    denominator += Number(cells[di] || 0);
  }
  const rows = lines.length - 1;
  let result: number | null = value;
  if (combine === "ratio") {
    const kpi = decodeURIComponent(path!.slice("/records/".length));
    if (denominator === 0) result = null;
    else if (kpi === "aov" || kpi === "arpa")
      result = Math.sign(value) * Math.round(Math.abs(value) / denominator);
    else result = Math.round((value * 10_000) / denominator) / 10_000;
  } else if (rows === 0 && figure === null) {
    result = null;
  }
  return { figure, result, rows };
}

/**
 * One test per dashboard of `paths` and role that may open it: each tile's records add up to the
 * tile, and every other linked figure (table cells) to its own figure.
 */
export function tileDrilldownTests(e2e: () => E2e, paths: string[]): void {
  const unknown = paths.filter((path) => !DASHBOARDS.some((d) => d.path === path));
  if (unknown.length > 0) throw new Error(`not a dashboard: ${unknown.join(", ")}`);
  for (const { path, roles } of DASHBOARDS.filter((d) => paths.includes(d.path))) {
    for (const role of roles) {
      it(`${path} as ${role}: each tile's records add up to the tile`, async () => {
        const page = await signIn(e2e(), role);
        await page.goto(`${path}?${RANGE}`);
        const tiles = await page.locator("[data-kpi] .value-link").evaluateAll((els) =>
          els.map((el) => ({
            href: el.getAttribute("href") ?? "",
            raw: el.getAttribute("data-value") ?? "",
          })),
        );
        const links = await page
          .locator('main a[href^="/records/"]')
          .evaluateAll((els) => [...new Set(els.map((el) => el.getAttribute("href") ?? ""))]);
        for (const tile of tiles) {
          expect(tile.href).toMatch(/^\/records\//);
          const got = await csvCombined(page, tile.href);
          expect({ href: tile.href, value: got.result }).toEqual({
            href: tile.href,
            value: tile.raw === "" ? null : Number(tile.raw),
          });
          expect(got.figure).toBe(got.result);
        }
        // Every other figure that links (table cells) opens records that make up its own figure.
        for (const href of links.slice(0, 12)) {
          const got = await csvCombined(page, href);
          expect({ href, value: got.result }).toEqual({ href, value: got.figure });
        }
        await page.context().close();
      }, 120_000);
    }
  }
}
