import { rate } from "../../../analytics/core/rates.ts";
import type { BestSeller, ConvertedProductRollup } from "../../../analytics/index.ts";
import type { SessionUser } from "../../../auth/index.ts";
import type { Product } from "../../../catalog/index.ts";
import type { WishlistDemandResult } from "../../../orders/index.ts";
import { Chart, ChartDataTable } from "../components/chart.tsx";
import { count, money, NONE, percent } from "../components/format.ts";
import { RangeSelector } from "../components/range-selector.tsx";
import { Layout } from "../layout.tsx";
import { convertedRecordsHref, recordsHref } from "../records/links.ts";
import { horizontalBars } from "./charts.ts";
import { CurrencyNotices } from "./currency-notices.tsx";
import { type CurrencyView, pickerOf } from "./currency-view.ts";
import { StockTable } from "./stock-table.tsx";
import { WishlistDemandTable } from "./wishlist-table.tsx";

/** Without data for `currency` the sales panels say so; in the converted view revenue may be null (a rate is missing). */
export interface ProductsData extends CurrencyView {
  bestSellers: Array<Omit<BestSeller, "revenue"> & { revenue: number | null }>;
  rollups: ConvertedProductRollup[];
  stock: Product[];
  wishlist: WishlistDemandResult;
}

export function ProductsPage(props: { user: SessionUser | null; csrfToken: string; data: ProductsData }) {
  const { data } = props;
  const cur = data.currency;
  // Units and revenue cells (and the bars) open the product's order lines of the period (of one
  // currency); converted, its sales of each day and currency with the rate that converted them.
  const lines = (
    kpi: "product_units" | "product_revenue" | "product_cost" | "product_margin" | "product_margin_rate",
    product: number,
  ) =>
    data.converted
      ? convertedRecordsHref(kpi, data.range, cur, { product })
      : recordsHref(kpi, data.range, cur, { product });
  const option = horizontalBars(
    data.bestSellers.map((b) => b.name),
    [
      {
        name: "Units",
        color: "#2346c7",
        values: data.bestSellers.map((b) => b.units),
        links: data.bestSellers.map((b) => lines("product_units", b.product_id)),
      },
    ],
    { axisName: "Units" },
  );
  const sellers = {
    columns: ["#", "Product", "Units", "Revenue"],
    numeric: [true, false, true, true],
    rows: data.bestSellers.map((b) => [b.rank, b.name, count(b.units), money(b.revenue, cur)]),
    links: data.bestSellers.map((b) => [
      null,
      null,
      lines("product_units", b.product_id),
      lines("product_revenue", b.product_id),
    ]),
  };
  const byRevenue = {
    columns: ["#", "Product", "Revenue", "Units"],
    numeric: [true, false, true, true],
    rows: data.rollups.slice(0, 10).map((r, i) => [i + 1, r.name, money(r.revenue, cur), count(r.units)]),
    links: data.rollups
      .slice(0, 10)
      .map((r) => [null, null, lines("product_revenue", r.product_id), lines("product_units", r.product_id)]),
  };
  const margins = {
    columns: ["Product", "Units", "Revenue", "Cost", "Margin", "Margin %"],
    numeric: [false, true, true, true, true, true],
    rows: data.rollups.map((r) => [
      r.name,
      count(r.units),
      money(r.revenue, cur),
      r.missing_rate ? NONE : r.cost === null ? "cost unknown" : money(r.cost, cur),
      r.margin === null ? NONE : money(r.margin, cur),
      r.margin === null || r.cost === null ? NONE : percent(rate(r.margin, r.margin + r.cost)),
    ]),
    // Cost, margin and margin % open the lines whose cost is known (the margin % as Σ margin ÷ Σ
    // revenue of those lines); "cost unknown" opens nothing.
    links: data.rollups.map((r) => [
      null,
      lines("product_units", r.product_id),
      lines("product_revenue", r.product_id),
      r.cost === null ? null : lines("product_cost", r.product_id),
      r.margin === null ? null : lines("product_margin", r.product_id),
      r.margin === null || r.cost === null ? null : lines("product_margin_rate", r.product_id),
    ]),
  };
  return (
    <Layout title="Products" user={props.user} csrfToken={props.csrfToken} path="/dashboard/products" charts>
      <div class="page-head">
        <div>
          <h1>Products</h1>
          <p class="muted">
            What sells, what it earns, and what is running low
            {data.converted
              ? `; sales of every currency, revenue and cost converted into ${cur.toUpperCase()} at each day's rate.`
              : "."}
          </p>
        </div>
        <RangeSelector path="/dashboard/products" range={data.range} {...pickerOf(data)} />
      </div>
      <CurrencyNotices path="/dashboard/products" view={data} />
      <div class="grid two" hidden={!data.hasData}>
        <section class="panel">
          <h2>
            Best sellers{" "}
            <a href="/docs/kpis#best_sellers" class="muted small-link">
              definition
            </a>
          </h2>
          {data.bestSellers.length ? (
            <Chart
              title="Units sold, top products"
              option={option}
              table={sellers}
              height={Math.max(220, 34 * data.bestSellers.length)}
            />
          ) : (
            <p class="empty">No paid orders in this period.</p>
          )}
        </section>
        <section class="panel">
          <h2>Top products by revenue</h2>
          <ChartDataTable table={byRevenue} />
        </section>
      </div>
      <section class="panel" hidden={!data.hasData}>
        <h2>Margin</h2>
        <p class="muted">
          Margin counts only lines whose unit cost is known; products without a cost show “cost unknown” until
          one is set in the catalog.
        </p>
        <ChartDataTable table={margins} />
      </section>
      <section class="panel">
        <h2>Stock and preorders</h2>
        <StockTable products={data.stock} currency={cur} range={data.range} />
      </section>
      <section class="panel" id="wishlist-demand" aria-labelledby="wishlist-demand-title">
        <h2 id="wishlist-demand-title">Wishlist demand</h2>
        <p class="muted">
          Products customers want, most wished for first; the ones they cannot buy now are flagged.
        </p>
        <WishlistDemandTable demand={data.wishlist} />
      </section>
    </Layout>
  );
}
