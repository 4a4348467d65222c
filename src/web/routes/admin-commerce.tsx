import type { Context } from "hono";
import { can } from "../../auth/index.ts";
import {
  adjustStock,
  createProduct,
  getProduct,
  listProducts,
  listStockMovements,
  updateProduct,
} from "../../catalog/index.ts";
import type { AppContext } from "../../context.ts";
import { cancelOrder, fulfilOrder } from "../../flows/index.ts";
import {
  getOrder,
  listOrderEvents,
  listOrders,
  ORDER_STATUSES,
  type OrderStatus,
} from "../../orders/index.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { parseDecimalAmount } from "../../shared/money.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { AdminOrdersView, AdminOrderView } from "../views/admin/orders.tsx";
import { AdminProductsView, AdminProductView, ProductForm } from "../views/admin/products.tsx";
import { Layout } from "../views/layout.tsx";
import { bodyOf, formNumber, idParam } from "./shop-input.ts";

const PAGE_SIZE = 50;

function page(c: Context<AppEnv>, title: string, path: string, body: unknown) {
  return c.html(
    <Layout title={title} user={c.get("user")} csrfToken={c.get("csrfToken")} path={path}>
      {body as never}
    </Layout>,
  );
}

/** "12.50" in the product's currency → 1250; anything else → NaN (zod names the field). */
function moneyField(value: unknown, currency: unknown): number | null | undefined {
  if (value === undefined || value === "") return value === "" ? null : undefined;
  return parseDecimalAmount(String(value), typeof currency === "string" ? currency : "usd") ?? Number.NaN;
}

/** A product form (strings and checkboxes) as typed input for the catalog service. */
function productInput(b: Record<string, unknown>) {
  const price = moneyField(b.price, b.currency);
  const cost = moneyField(b.unitCost, b.currency);
  return {
    sku: b.sku,
    name: b.name,
    description: b.description ?? "",
    category: b.category || "General",
    priceAmount: price ?? undefined,
    currency: b.currency,
    unitCostAmount: cost === undefined ? null : cost,
    stockOnHand: formNumber(b.stockOnHand),
    allowPreorder: b.allowPreorder === "on" || b.allowPreorder === "true",
    preorderLimit: formNumber(b.preorderLimit) ?? null,
    preorderShipDate: b.preorderShipDate ? b.preorderShipDate : null,
    active: b.active === "on" || b.active === "true",
  };
}

function requireId(c: Context<AppEnv>, what: string): number {
  const id = idParam(c.req.param("id"));
  if (id === null) throw new NotFoundError(what);
  return id;
}

/** The banners a redirect may ask for: fixed texts, so a link cannot put its own words on the page. */
const PRODUCT_NOTICES: Record<string, string> = {
  created: "Product created.",
  saved: "Product saved.",
  stock: "Stock adjusted.",
};
const ORDER_NOTICES: Record<string, string> = {
  fulfilled: "Order fulfilled.",
  canceled: "Order canceled.",
};

export function registerAdminCommerceRoutes(r: Router, ctx: AppContext): void {
  r.get("/admin/products", "catalog.manage", async (c) => {
    const products = await listProducts(ctx.db);
    return page(
      c,
      "Catalog",
      "/admin/products",
      <AdminProductsView products={products} notice={PRODUCT_NOTICES[c.req.query("notice") ?? ""]} />,
    );
  });

  r.get("/admin/products/new", "catalog.manage", (c) =>
    page(
      c,
      "New product",
      "/admin/products",
      <section class="panel">
        <h1>New product</h1>
        <ProductForm csrfToken={c.get("csrfToken")} />
      </section>,
    ),
  );

  r.post("/admin/products", "catalog.manage", async (c) => {
    const p = await createProduct(ctx, productInput(await bodyOf(c)), actorFrom(c));
    return c.redirect(`/admin/products/${p.id}?notice=created`, 303);
  });

  r.get("/admin/products/:id", "catalog.manage", async (c) => {
    const product = await getProduct(ctx.db, requireId(c, "Product"));
    if (!product) throw new NotFoundError("Product");
    const movements = await listStockMovements(ctx.db, product.id);
    return page(
      c,
      product.name,
      "/admin/products",
      <AdminProductView
        product={product}
        movements={movements}
        csrfToken={c.get("csrfToken")}
        notice={PRODUCT_NOTICES[c.req.query("notice") ?? ""]}
      />,
    );
  });

  r.post("/admin/products/:id", "catalog.manage", async (c) => {
    const id = requireId(c, "Product");
    await updateProduct(ctx, id, productInput(await bodyOf(c)), actorFrom(c));
    return c.redirect(`/admin/products/${id}?notice=saved`, 303);
  });

  r.post("/admin/products/:id/stock", "catalog.manage", async (c) => {
    const id = requireId(c, "Product");
    const b = await bodyOf(c);
    await adjustStock(ctx, id, { delta: formNumber(b.delta), reason: b.reason }, actorFrom(c));
    return c.redirect(`/admin/products/${id}?notice=stock`, 303);
  });

  r.get("/admin/orders", "orders.view_all", async (c) => {
    const raw = c.req.query("status");
    const status = ORDER_STATUSES.includes(raw as OrderStatus) ? (raw as OrderStatus) : undefined;
    const pageNo = Math.max(1, Math.min(10_000, Number(c.req.query("page")) || 1));
    const { orders, total } = await listOrders(ctx.db, {
      status,
      limit: PAGE_SIZE,
      offset: (pageNo - 1) * PAGE_SIZE,
    });
    return page(
      c,
      "Orders",
      "/admin/orders",
      <AdminOrdersView orders={orders} total={total} status={status} page={pageNo} pageSize={PAGE_SIZE} />,
    );
  });

  r.get("/admin/orders/:id", "orders.view_all", async (c) => {
    const order = await getOrder(ctx.db, requireId(c, "Order"));
    if (!order) throw new NotFoundError("Order");
    const events = await listOrderEvents(ctx.db, order.id);
    const canManage = can(c.get("user")?.role, "orders.manage");
    return page(
      c,
      `Order ${order.number}`,
      "/admin/orders",
      <AdminOrderView
        order={order}
        events={events}
        canManage={canManage}
        csrfToken={c.get("csrfToken")}
        notice={ORDER_NOTICES[c.req.query("notice") ?? ""]}
      />,
    );
  });

  const action = (path: string, run: typeof fulfilOrder, done: string) =>
    r.post(path, "orders.manage", async (c) => {
      const orderId = requireId(c, "Order");
      const b = await bodyOf(c);
      if (!(await getOrder(ctx.db, orderId))) throw new NotFoundError("Order");
      await run(ctx, { orderId, reason: String(b.reason ?? "") }, actorFrom(c));
      return c.redirect(`/admin/orders/${orderId}?notice=${done}`, 303);
    });
  action("/admin/orders/:id/fulfill", fulfilOrder, "fulfilled");
  action("/admin/orders/:id/cancel", cancelOrder, "canceled");
}
