import type { Context } from "hono";
import { can, sha256 } from "../../auth/index.ts";
import {
  browseCatalog,
  CATALOG_PAGE_SIZE,
  type CatalogPage,
  getProduct,
  productArtSvg,
  readProductImage,
} from "../../catalog/index.ts";
import type { AppContext } from "../../context.ts";
import { getCustomer } from "../../customers/index.ts";
import {
  addToCart,
  addToWishlist,
  createOrderFromCart,
  getCart,
  getOrderByNumber,
  getShipment,
  getShippingAddress,
  getWishlist,
  lineCounts,
  listOrders,
  moveWishlistItemToCart,
  type OrderWithLines,
  removeFromCart,
  removeFromWishlist,
  setCartQuantity,
  setOrderPaymentRefs,
  wishedProductIds,
} from "../../orders/index.ts";
import { type CheckoutStart, getPaymentProvider, listOrderRefunds } from "../../payments/index.ts";
import { NotFoundError, ValidationError } from "../../shared/errors.ts";
import { sameOriginPath } from "../referer.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { Layout } from "../views/layout.tsx";
import { CartView } from "../views/shop/cart.tsx";
import { type CatalogFilters, CatalogView, ProductView } from "../views/shop/catalog.tsx";
import type { Viewer } from "../views/shop/components.tsx";
import { ThankYouView } from "../views/shop/order-detail.tsx";
import { OrdersView, OrderView } from "../views/shop/orders.tsx";
import { WishlistView } from "../views/shop/wishlist.tsx";
import { bodyOf, customerIdOf, formNumber, idParam, wantsJson } from "./shop-input.ts";

async function viewerOf(c: Context<AppEnv>): Promise<Viewer> {
  const user = c.get("user");
  const customerId = user?.customerId ?? null;
  const canWish = Boolean(customerId) && can(user?.role, "wishlist.use");
  return {
    canBuy: Boolean(customerId) && can(user?.role, "shop.buy"),
    canWish,
    csrfToken: c.get("csrfToken"),
    wished: canWish ? await wishedProductIds(c.get("ctx"), customerId!) : new Set(),
  };
}

function page(c: Context<AppEnv>, title: string, path: string, body: unknown, status: 200 | 400 = 200) {
  return c.html(
    <Layout title={title} user={c.get("user")} csrfToken={c.get("csrfToken")} path={path}>
      <link rel="stylesheet" href="/assets/shop.css" />
      {body as never}
    </Layout>,
    status,
  );
}

/** The storefront's filters as typed in the URL (one value each; the first when repeated). */
function filtersOf(c: Context<AppEnv>): CatalogFilters & { page?: string } {
  const one = (key: string) => c.req.query(key) || undefined;
  return { q: one("q"), category: one("category"), min: one("min"), max: one("max"), page: one("page") };
}

const EMPTY_PAGE: CatalogPage = {
  products: [],
  total: 0,
  page: 1,
  pageSize: CATALOG_PAGE_SIZE,
  categories: [],
};

/** Browser caches keep a picture a day; its URL carries the product's updatedAt, so an upload shows at once. */
function sendImage(c: Context<AppEnv>, body: Uint8Array, type: string) {
  const etag = `"${sha256(Buffer.from(body).toString("base64")).slice(0, 32)}"`;
  c.header("Cache-Control", "public, max-age=86400");
  c.header("ETag", etag);
  c.header("X-Content-Type-Options", "nosniff");
  // An SVG is a document: no script, no outside resources, even if opened on its own.
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  if (c.req.header("if-none-match") === etag) return c.body(null, 304);
  c.header("Content-Type", type);
  return c.body(body as Uint8Array<ArrayBuffer>);
}

/** Cart input: JSON keeps its types (zod judges them); form strings become numbers. */
async function lineOf(c: Context<AppEnv>) {
  const b = await bodyOf(c);
  if (wantsJson(c)) return { productId: b.productId, quantity: b.quantity };
  return { productId: formNumber(b.productId), quantity: formNumber(b.quantity) };
}

/** Hand a pending order to the payment provider and keep the ids it returns on the order. */
async function startPayment(ctx: AppContext, order: OrderWithLines): Promise<CheckoutStart> {
  const customer = (await getCustomer(ctx, order.customerId))!;
  const start = await getPaymentProvider(ctx).startCheckout(ctx, {
    orderId: order.id,
    orderNumber: order.number,
    amount: order.amountTotal,
    currency: order.currency,
    customer: {
      id: customer.id,
      email: customer.email,
      name: customer.name,
      stripeCustomerId: customer.stripeCustomerId,
    },
    lines: order.lines.map((l) => ({ name: l.name, quantity: l.quantity, unitAmount: l.unitPriceAmount })),
    successUrl: `${ctx.config.baseUrl}/orders/${order.number}/thank-you`,
    cancelUrl: `${ctx.config.baseUrl}/orders/${order.number}`,
  });
  await setOrderPaymentRefs(ctx, order.id, start);
  return start;
}

export function registerShopRoutes(r: Router, ctx: AppContext): void {
  const activeProduct = async (raw: string | undefined) => {
    const id = idParam(raw);
    const product = id === null ? undefined : await getProduct(ctx, id);
    if (!product?.active) throw new NotFoundError("Product");
    return product;
  };

  r.get("/", "public", async (c) => {
    const filters = filtersOf(c);
    const viewer = await viewerOf(c);
    const signedIn = Boolean(c.get("user"));
    try {
      const result = await browseCatalog(ctx, filters);
      return page(
        c,
        "Shop",
        "/",
        <CatalogView result={result} filters={filters} viewer={viewer} signedIn={signedIn} />,
      );
    } catch (err) {
      // A refused filter: the form again with the reason beside its field, and the categories to choose from.
      if (!(err instanceof ValidationError)) throw err;
      const categories = (await browseCatalog(ctx, {})).categories;
      const error = { field: err.field ?? null, message: err.message.replace(/^\w+: /, "") };
      const body = (
        <CatalogView
          result={{ ...EMPTY_PAGE, categories }}
          filters={filters}
          viewer={viewer}
          signedIn={signedIn}
          error={error}
        />
      );
      return page(c, "Shop", "/", body, 400);
    }
  });

  r.get("/products/:id", "public", async (c) => {
    const product = await activeProduct(c.req.param("id"));
    const body = (
      <ProductView product={product} viewer={await viewerOf(c)} signedIn={Boolean(c.get("user"))} />
    );
    return page(c, product.name, "/", body);
  });

  r.get("/products/:id/image", "public", async (c) => {
    const product = await activeProduct(c.req.param("id"));
    const uploaded = await readProductImage(ctx, product.id);
    if (uploaded) return sendImage(c, uploaded.bytes, uploaded.type);
    return sendImage(c, new TextEncoder().encode(productArtSvg(product)), "image/svg+xml; charset=utf-8");
  });

  r.get("/cart", "shop.buy", async (c) => {
    const customerId = c.get("user")?.customerId;
    const lines = customerId ? await getCart(ctx, customerId) : [];
    return page(
      c,
      "Cart",
      "/cart",
      <CartView lines={lines} csrfToken={c.get("csrfToken")} hasProfile={Boolean(customerId)} />,
    );
  });

  r.post("/cart/add", "shop.buy", async (c) => {
    const customerId = customerIdOf(c);
    await addToCart(ctx, customerId, await lineOf(c));
    return c.redirect("/cart", 303);
  });

  r.post("/cart/update", "shop.buy", async (c) => {
    const customerId = customerIdOf(c);
    await setCartQuantity(ctx, customerId, await lineOf(c));
    return c.redirect("/cart", 303);
  });

  r.post("/cart/remove", "shop.buy", async (c) => {
    const customerId = customerIdOf(c);
    await removeFromCart(ctx, customerId, { productId: formNumber((await bodyOf(c)).productId) });
    return c.redirect("/cart", 303);
  });

  /** Checkout: the cart (or JSON `items`, typed as sent), then the payment provider's redirect. */
  r.post("/checkout", "shop.buy", async (c) => {
    const customerId = customerIdOf(c);
    const body = await bodyOf(c);
    const items = wantsJson(c) ? body.items : undefined;
    const order = await createOrderFromCart(ctx, { customerId, items } as never, actorFrom(c));
    const start = await startPayment(ctx, order);
    if (wantsJson(c))
      return c.json({ order: { id: order.id, number: order.number }, redirectUrl: start.redirectUrl }, 201);
    return c.redirect(start.redirectUrl, 303);
  });

  r.get("/orders", "shop.buy", async (c) => {
    const customerId = c.get("user")?.customerId;
    const { orders } = customerId ? await listOrders(ctx, { customerId, limit: 200 }) : { orders: [] };
    const counts = await lineCounts(
      ctx,
      orders.map((o) => o.id),
    );
    return page(c, "My orders", "/orders", <OrdersView orders={orders} lineCounts={counts} />);
  });

  /** The signed-in customer's own order; another customer's is "not found" (numbers are not secrets to confirm). */
  const ownOrder = async (c: Context<AppEnv>) => {
    const customerId = c.get("user")?.customerId;
    const order = await getOrderByNumber(ctx, c.req.param("number") ?? "");
    if (!order || !customerId || order.customerId !== customerId) throw new NotFoundError("Order");
    return order;
  };

  r.get("/orders/:number", "shop.buy", async (c) => {
    const order = await ownOrder(c);
    const [address, shipment, refunds] = await Promise.all([
      getShippingAddress(ctx, order.id),
      getShipment(ctx, order.id),
      listOrderRefunds(ctx.db, order.id),
    ]);
    const body = (
      <OrderView
        order={order}
        justPaid={c.req.query("paid") === "1"}
        csrfToken={c.get("csrfToken")}
        extras={{ address, shipment, refunds }}
      />
    );
    return page(c, `Order ${order.number}`, "/orders", body);
  });

  /** Where checkout comes back to: the order summary and what happens next. */
  r.get("/orders/:number/thank-you", "shop.buy", async (c) => {
    const order = await ownOrder(c);
    const address = await getShippingAddress(ctx, order.id);
    return page(c, "Thank you", "/orders", <ThankYouView order={order} address={address} />);
  });

  /** Pay a pending order again (the buyer left the payment page); only the owner, only while pending. */
  r.post("/orders/:number/pay", "shop.buy", async (c) => {
    const customerId = customerIdOf(c);
    const order = await getOrderByNumber(ctx, c.req.param("number") ?? "");
    if (!order || order.customerId !== customerId) throw new NotFoundError("Order");
    if (order.status !== "pending") return c.redirect(`/orders/${order.number}`, 303);
    const start = await startPayment(ctx, order);
    return c.redirect(start.redirectUrl, 303);
  });

  r.get("/wishlist", "wishlist.use", async (c) => {
    const customerId = c.get("user")?.customerId;
    const entries = customerId ? await getWishlist(ctx, customerId) : [];
    const canBuy = can(c.get("user")?.role, "shop.buy");
    return page(
      c,
      "Wishlist",
      "/wishlist",
      <WishlistView entries={entries} csrfToken={c.get("csrfToken")} canBuy={canBuy} />,
    );
  });

  const wishAction = (path: string, act: typeof addToWishlist, to: string) =>
    r.post(path, "wishlist.use", async (c) => {
      const customerId = customerIdOf(c);
      await act(ctx, customerId, { productId: formNumber((await bodyOf(c)).productId) });
      const back =
        to === "back" ? (sameOriginPath(c.req.header("referer"), ctx.config.baseUrl) ?? "/wishlist") : to;
      return c.redirect(back, 303);
    });
  wishAction("/wishlist/add", addToWishlist, "back");
  wishAction("/wishlist/remove", removeFromWishlist, "back");
  wishAction("/wishlist/move-to-cart", moveWishlistItemToCart, "/cart");
}
