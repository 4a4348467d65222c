import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/auth/index.ts";
import { DESKTOP, type E2e, PHONE, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
}, 120_000);
afterAll(() => e2e?.stop());

/** The dashboards and the staff roles that may open each (docs/rbac_matrix.md). */
const DASHBOARDS: Array<{ path: string; roles: Role[] }> = [
  { path: "/dashboard", roles: ["analyst", "admin"] },
  { path: "/dashboard/subscriptions", roles: ["analyst", "admin"] },
  { path: "/dashboard/ops", roles: ["ops", "analyst", "admin"] },
  { path: "/dashboard/products", roles: ["ops", "analyst", "admin"] },
];

/** "30 days" on the test clock: 2026-05-17..2026-06-15. */
const RANGE = "from=2026-05-17&to=2026-06-15&currency=usd";

interface Combined {
  figure: number | null;
  result: number | null;
  rows: number;
}

/** The CSV of a records page: exactly its rows, combined as the page says (sum, mean or rate). */
async function csvCombined(page: Page, href: string): Promise<Combined> {
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

describe("drill-down from every figure", () => {
  for (const { path, roles } of DASHBOARDS) {
    for (const role of roles) {
      it(`${path} as ${role}: each tile's records add up to the tile`, async () => {
        const page = await signIn(e2e, role);
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

  it("a click on one bar of each chart opens the records of that bucket, which add up to it", async () => {
    let charts = 0;
    for (const { path } of DASHBOARDS) {
      const page = await signIn(e2e, "analyst");
      await page.goto(`${path}?${RANGE}`);
      await page.waitForLoadState("networkidle");
      const count = await page.locator(".chart[data-chart]").count();
      for (let c = 0; c < count; c++) {
        await page.goto(`${path}?${RANGE}`);
        await page.waitForSelector(".chart[data-rendered]");
        // The bar of the first linked bar series with the largest value: where it sits on screen.
        const target = await page.evaluate((index) => {
          const el = document.querySelectorAll<HTMLElement>(".chart[data-chart]")[index]!;
          type Bar = { value?: number | null } | number | null;
          type BarRect = { x: number; y: number; width: number; height: number };
          type Instance = {
            getModel(): { getSeriesByIndex(i: number): { getData(): { getItemLayout(i: number): BarRect } } };
          };
          const option = JSON.parse(el.dataset.chart!) as {
            series: Array<{ type?: string; links?: Array<string | null>; data: Bar[] }>;
          };
          const w = window as unknown as { echarts: { getInstanceByDom(e: HTMLElement): Instance } };
          const chart = w.echarts.getInstanceByDom(el);
          // The largest bar of any linked bar series (a series of zeros draws nothing to click).
          const magnitude = (d: Bar | undefined) =>
            Math.abs(Number((typeof d === "object" && d !== null ? d.value : d) ?? 0));
          let s = -1;
          let i = -1;
          option.series.forEach((x, si) => {
            if (x.type !== "bar" || !Array.isArray(x.links)) return;
            x.data.forEach((d, di) => {
              if (x.links?.[di] && magnitude(d) > (s < 0 ? 0 : magnitude(option.series[s]!.data[i]))) {
                s = si;
                i = di;
              }
            });
          });
          if (s < 0) return null;
          // The bar's own rectangle as ECharts laid it out (bars of several series share a category).
          const rect = chart.getModel().getSeriesByIndex(s).getData().getItemLayout(i);
          const box = el.getBoundingClientRect();
          window.scrollTo(0, window.scrollY + box.top - 100);
          const after = el.getBoundingClientRect();
          return {
            x: after.left + rect.x + rect.width / 2,
            y: after.top + rect.y + rect.height / 2,
            href: option.series[s]!.links![i] as string,
          };
        }, c);
        if (!target) continue;
        await page.mouse.click(target.x, target.y);
        await page.waitForURL((url) => url.pathname.startsWith("/records/"));
        expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(target.href);
        expect(await page.locator("[data-matches]").getAttribute("data-matches")).toBe("true");
        const got = await csvCombined(page, target.href);
        expect(got.result).toBe(got.figure);
        expect(got.rows).toBeGreaterThan(0);
        charts += 1;
      }
      await page.context().close();
    }
    // The executive dashboard has two bar charts, the subscriptions dashboard more.
    expect(charts).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it("draws charts at once for a reader who asks for reduced motion, and grows them in otherwise", async () => {
    const animation = async (motion: "reduce" | "no-preference") => {
      const page = await signIn(e2e, "analyst", undefined, motion);
      await page.goto(`/dashboard?${RANGE}`);
      await page.waitForSelector(".chart[data-rendered]");
      const animated = await page.evaluate(() => {
        type Instance = { getOption(): { animation?: unknown } };
        const w = window as unknown as { echarts: { getInstanceByDom(e: Element): Instance } };
        return Array.from(document.querySelectorAll(".chart[data-rendered]")).map(
          (el) => w.echarts.getInstanceByDom(el).getOption().animation,
        );
      });
      await page.context().close();
      return animated;
    };
    const still = await animation("reduce");
    expect(still.length).toBeGreaterThan(0);
    expect(new Set(still)).toEqual(new Set([false]));
    expect((await animation("no-preference")).filter((a) => a === false)).toEqual([]);
  });

  it("refuses customers every drill-down URL (403)", async () => {
    const page = await signIn(e2e, "customer");
    for (const url of [
      `/records/gross_revenue?${RANGE}`,
      `/records/mrr?${RANGE}`,
      `/records/refunds/export.csv?${RANGE}`,
      `/api/v1/kpis/gross_revenue/records?${RANGE}`,
    ]) {
      const res = await page.request.get(url);
      expect({ url, status: res.status() }).toEqual({ url, status: 403 });
    }
    await page.context().close();
  });

  it("shows the records page on a desktop and a phone", async () => {
    for (const [name, viewport] of [
      ["records-desktop", DESKTOP],
      ["records-phone", PHONE],
    ] as const) {
      const page = await signIn(e2e, "analyst", viewport);
      await page.goto(`/records/mrr_movements.net?${RANGE}`);
      expect(await page.locator("[data-matches]").getAttribute("data-matches")).toBe("true");
      await shoot(page, name, { fullPage: false });
      await page.goto(`/records/net_revenue?${RANGE}`);
      await shoot(page, `${name}-net-revenue`, { fullPage: false });
      await page.context().close();
    }
  });
});
