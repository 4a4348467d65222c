import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, type E2e, PHONE, shoot, signIn, startE2e } from "./support/app.ts";
import { csvCombined, DASHBOARDS, RANGE, tileDrilldownTests } from "./support/records.ts";

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
}, 120_000);
afterAll(() => e2e?.stop());

describe("drill-down from every figure", () => {
  tileDrilldownTests(() => e2e, ["/dashboard/ops", "/dashboard/products"]);

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
