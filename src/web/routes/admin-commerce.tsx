import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import { z } from "zod";
import { addDays, startOfDay } from "../../analytics/core/periods.ts";
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
import { getCustomer } from "../../customers/index.ts";
import { cancelOrder, fulfilOrder, refundOrderFromForm } from "../../flows/index.ts";
import {
  getOrder,
  getOrderByNumber,
  getShipment,
  getShippingAddress,
  listOrderEvents,
  listOrdersForOps,
  ORDER_STATUSES,
  type OrderCursor,
  type OrderListFilter,
  type OrderWithLines,
} from "../../orders/index.ts";
import { DISPUTE_VIEWS, listDisputes, listOrderRefunds } from "../../payments/index.ts";
import { currencyCode } from "../../shared/currencies.ts";
import { checkDateRange, daySchema } from "../../shared/dates.ts";
import { AppError, NotFoundError } from "../../shared/errors.ts";
import { parseAmountField, parseDecimalAmount } from "../../shared/money.ts";
import { parseInput } from "../../shared/validate.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { AdminDisputesView } from "../views/admin/disputes.tsx";
import type { RefundFormState } from "../views/admin/order-refunds.tsx";
import {
  type AdminOrderData,
  AdminOrdersView,
  AdminOrderView,
  type OrderListQuery,
} from "../views/admin/orders.tsx";
import { AdminProductsView, AdminProductView, ProductForm } from "../views/admin/products.tsx";
import { parseActorText, peopleOf } from "../views/components/actor.ts";
import { identityOf, identityViewer } from "../views/customers/identity.ts";
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

/** An order by the number as shown (`RI-002392`) or, for older links, its numeric id. */
async function requireOrder(ctx: AppContext, param: string | undefined): Promise<OrderWithLines> {
  const text = (param ?? "").trim();
  const id = idParam(text);
  const order =
    id !== null
      ? await getOrder(ctx, id)
      : /^RI-[A-Z0-9]{1,20}$/i.test(text)
        ? await getOrderByNumber(ctx, text.toUpperCase())
        : undefined;
  if (!order) throw new NotFoundError("Order");
  return order;
}

async function loadOrderPage(
  ctx: AppContext,
  orderId: number,
  viewer: ReturnType<typeof identityViewer>,
): Promise<AdminOrderData> {
  const order = await getOrder(ctx, orderId);
  if (!order) throw new NotFoundError("Order");
  const [events, refunds, disputes, customer] = await Promise.all([
    listOrderEvents(ctx, order.id),
    listOrderRefunds(ctx.db, order.id),
    listDisputes(ctx.db, { orderId: order.id }),
    getCustomer(ctx, order.customerId),
  ]);
  const who = customer ? identityOf(customer, viewer) : null;
  const people = await peopleOf(ctx, [
    ...events.map((e) => ({ type: e.actorType, id: e.actorId })),
    ...refunds.map((r) => (r.requestedBy ? parseActorText(r.requestedBy) : null)),
  ]);
  // The address is personal data: only viewers who see customers' names and e-mails see it.
  const [address, shipment] = await Promise.all([
    viewer.pii ? getShippingAddress(ctx, order.id) : undefined,
    getShipment(ctx, order.id),
  ]);
  const shipping = { address, shipment };
  return { order, events, refunds, disputes, customer: who, people, shipping, now: ctx.clock.now() };
}

/** A refusal said about the form's field by its label (`amount: …` → `Amount: …`). */
function refundMessage(message: string, field: string | null, order: OrderWithLines): string {
  if (!field || !message.startsWith(`${field}: `)) return message;
  const lineId = Number(field.match(/^restock_line_(\d+)$/)?.[1]);
  const line = order.lines.find((l) => l.id === lineId);
  const label = line
    ? `Put back "${line.name}"`
    : (
        { amount: "Amount", reason: "Refund reason", note: "Note", restock: "Put back in stock" } as Record<
          string,
          string
        >
      )[field];
  return label ? `${label}: ${message.slice(field.length + 2)}` : message;
}

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());
const amountBound = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d+)?$/, "must be an amount like 12.50");
const cursorParam = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z_\d{1,12}$/, "not a position in the list")
  .transform((text): OrderCursor => {
    const [at, id] = text.split("_") as [string, string];
    return { createdAt: new Date(at), id: Number(id) };
  })
  .refine((c) => !Number.isNaN(c.createdAt.getTime()), "not a position in the list");
const orderListQuery = z.object({
  q: optional(z.string().trim().max(200)),
  status: optional(z.enum(ORDER_STATUSES)),
  from: optional(daySchema),
  to: optional(daySchema),
  customer: optional(z.string().trim().max(200)),
  currency: optional(currencyCode),
  min: optional(amountBound),
  max: optional(amountBound),
  after: optional(cursorParam),
  before: optional(cursorParam),
});

/**
 * The list's query string, checked (each error names its field): the filters as typed for the form
 * and links, and as the orders query takes them (days → instants in the reporting time zone,
 * amounts in the currency's units → thousandths, so one bound serves every currency).
 */
function parseOrderListQuery(
  raw: Record<string, string>,
  timezone: string,
): { query: OrderListQuery; filter: Omit<OrderListFilter, "limit"> } {
  const p = parseInput(orderListQuery, raw);
  if (p.from && p.to) checkDateRange({ from: p.from, to: p.to });
  const thousandths = (text: string | undefined, field: string) => {
    if (text === undefined) return undefined;
    // With a currency, its own decimals (no decimals for JPY); without, any of Stripe's (up to 3).
    if (p.currency) parseAmountField(text, p.currency, field);
    const value = parseDecimalAmount(text, "kwd");
    if (value === null)
      throw new AppError("validation.invalid", `${field}: at most 3 decimals`, 400, { field });
    return value;
  };
  const query: OrderListQuery = {
    q: p.q,
    status: p.status,
    from: p.from,
    to: p.to,
    customer: p.customer,
    currency: p.currency,
    min: p.min,
    max: p.max,
  };
  return {
    query,
    filter: {
      q: p.q,
      status: p.status,
      customer: p.customer,
      currency: p.currency,
      createdFrom: p.from ? startOfDay(p.from, timezone) : undefined,
      createdBefore: p.to ? startOfDay(addDays(p.to, 1), timezone) : undefined,
      minThousandths: thousandths(p.min, "min"),
      maxThousandths: thousandths(p.max, "max"),
      after: p.after,
      before: p.before,
    },
  };
}

/** The banners a redirect may ask for: fixed texts, so a link cannot put its own words on the page. */
const PRODUCT_NOTICES: Record<string, string> = {
  created: "Product created.",
  saved: "Product saved.",
  stock: "Stock adjusted.",
  image: "Picture uploaded.",
};
const ORDER_NOTICES: Record<string, string> = {
  fulfilled: "Order fulfilled.",
  canceled: "Order canceled.",
  refunded: "Refund sent to Stripe: it shows in the history with Stripe's status.",
};

export function registerAdminCommerceRoutes(r: Router, ctx: AppContext): void {
  r.get("/admin/products", "catalog.manage", async (c) => {
    const products = await listProducts(ctx);
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
    const product = await getProduct(ctx, requireId(c, "Product"));
    if (!product) throw new NotFoundError("Product");
    const movements = await listStockMovements(ctx, product.id);
    return page(
      c,
      product.name,
      "/admin/products",
      <AdminProductView
        product={product}
        movements={movements}
        csrfToken={c.get("csrfToken")}
        notice={PRODUCT_NOTICES[c.req.query("notice") ?? ""]}
        imageRefusal={c.req.query("image")}
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
    const { query, filter } = parseOrderListQuery(c.req.query(), ctx.config.reportingTimezone);
    const viewer = identityViewer(ctx.config.sessionSecret, c.get("user")?.role);
    const result = await listOrdersForOps(ctx, {
      ...filter,
      matchPersonalData: viewer.pii,
      limit: PAGE_SIZE,
    });
    const rows = result.rows.map((o) => ({ ...o, who: o.customer ? identityOf(o.customer, viewer) : null }));
    return page(
      c,
      "Orders",
      "/admin/orders",
      <AdminOrdersView page={result} rows={rows} query={query} pageSize={PAGE_SIZE} personal={viewer.pii} />,
    );
  });

  r.get("/admin/orders/:number", "orders.view_all", async (c) => {
    const order = await requireOrder(ctx, c.req.param("number"));
    return orderPage(c, order.id, { notice: ORDER_NOTICES[c.req.query("notice") ?? ""] });
  });

  /** The order page, with the refund panel's state when a refund was refused. */
  const orderPage = async (
    c: Context<AppEnv>,
    orderId: number,
    extra: { notice?: string; refundState?: RefundFormState },
    status: 200 | 400 | 409 = 200,
  ) => {
    const role = c.get("user")?.role;
    const data = await loadOrderPage(ctx, orderId, identityViewer(ctx.config.sessionSecret, role));
    c.status(status);
    return page(
      c,
      `Order ${data.order.number}`,
      "/admin/orders",
      <AdminOrderView
        {...data}
        canManage={can(role, "orders.manage")}
        canRefund={can(role, "refunds.create")}
        csrfToken={c.get("csrfToken")}
        idempotencyKey={randomUUID()}
        {...extra}
      />,
    );
  };

  r.post("/admin/orders/:number/refunds", "refunds.create", async (c) => {
    const order = await requireOrder(ctx, c.req.param("number"));
    const body = await bodyOf(c);
    try {
      await refundOrderFromForm(ctx, order.id, body, actorFrom(c));
    } catch (err) {
      // Refused (bad input, too much, not refundable): the page again, the panel open, the reason beside it.
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      const field = typeof err.details?.field === "string" ? err.details.field : null;
      const values = Object.fromEntries(
        Object.entries(body).flatMap(([k, v]) => (typeof v === "string" && k !== "_csrf" ? [[k, v]] : [])),
      );
      const error = { field, message: refundMessage(err.message, field, order) };
      return orderPage(c, order.id, { refundState: { values, error } }, err.status === 409 ? 409 : 400);
    }
    return c.redirect(`/admin/orders/${order.number}?notice=refunded`, 303);
  });

  r.get("/admin/disputes", "dashboard.ops", async (c) => {
    const view = parseInput(z.object({ view: z.enum(DISPUTE_VIEWS).default("open") }), {
      view: c.req.query("view") || undefined,
    }).view;
    const disputes = await listDisputes(ctx.readDb, { view, limit: 200 });
    return page(
      c,
      "Disputes",
      "/admin/disputes",
      <AdminDisputesView disputes={disputes} view={view} now={ctx.clock.now()} />,
    );
  });

  const action = (path: string, run: typeof fulfilOrder, done: string) =>
    r.post(path, "orders.manage", async (c) => {
      const order = await requireOrder(ctx, c.req.param("number"));
      const b = await bodyOf(c);
      const text = (v: unknown) => (typeof v === "string" ? v : undefined);
      const input = { orderId: order.id, reason: String(b.reason ?? "") };
      // Fulfil also takes the parcel's carrier and tracking number (cancel ignores them).
      await run(
        ctx,
        { ...input, carrier: text(b.carrier), trackingNumber: text(b.trackingNumber) },
        actorFrom(c),
      );
      return c.redirect(`/admin/orders/${order.number}?notice=${done}`, 303);
    });
  action("/admin/orders/:number/fulfill", fulfilOrder, "fulfilled");
  action("/admin/orders/:number/cancel", cancelOrder, "canceled");
}
