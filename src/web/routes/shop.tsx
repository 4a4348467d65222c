import type { Context } from "hono";
import { can } from "../../auth/index.ts";
import { getProduct, listProducts } from "../../catalog/index.ts";
import type { AppContext } from "../../context.ts";
import { getCustomer } from "../../customers/index.ts";
import {
  addToCart,
  addToWishlist,
  createOrderFromCart,
  getCart,
  getOrderByNumber,
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
import { type CheckoutStart, getPaymentProvider } from "../../payments/index.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { sameOriginPath } from "../referer.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { Layout } from "../views/layout.tsx";
import { CartView } from "../views/shop/cart.tsx";
import { CatalogView, ProductView } from "../views/shop/catalog.tsx";
import type { Viewer } from "../views/shop/components.tsx";
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
    wished: canWish ? await wishedProductIds(c.get("ctx").db, customerId!) : new Set(),
  };
}

function page(c: Context<AppEnv>, title: string, path: string, body: unknown) {
  return c.html(
    <Layout title={title} user={c.get("user")} csrfToken={c.get("csrfToken")} path={path}>
      {body as never}
    </Layout>,
  );
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
    successUrl: `${ctx.config.baseUrl}/orders/${order.number}?paid=1`,
    cancelUrl: `${ctx.config.baseUrl}/orders/${order.number}`,
  });
  await setOrderPaymentRefs(ctx.db, order.id, start, ctx.clock.now());
  return start;
}

export function registerShopRoutes(r: Router, ctx: AppContext): void {
  r.get("/", "public", async (c) => {
    const products = await listProducts(ctx, { activeOnly: true });
    const body = (
      <CatalogView products={products} viewer={await viewerOf(c)} signedIn={Boolean(c.get("user"))} />
    );
    return page(c, "Shop", "/", body);
  });

  r.get("/products/:id", "public", async (c) => {
    const id = idParam(c.req.param("id"));
    const product = id === null ? undefined : await getProduct(ctx, id);
    if (!product?.active) throw new NotFoundError("Product");
    return page(c, product.name, "/", <ProductView product={product} viewer={await viewerOf(c)} />);
  });

  r.get("/cart", "shop.buy", async (c) => {
    const customerId = c.get("user")?.customerId;
    const lines = customerId ? await getCart(ctx.db, customerId) : [];
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
    await setCartQuantity(ctx.db, customerId, await lineOf(c));
    return c.redirect("/cart", 303);
  });

  r.post("/cart/remove", "shop.buy", async (c) => {
    const customerId = customerIdOf(c);
    await removeFromCart(ctx.db, customerId, { productId: formNumber((await bodyOf(c)).productId) });
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
    const { orders } = customerId ? await listOrders(ctx.db, { customerId, limit: 200 }) : { orders: [] };
    const counts = await lineCounts(
      ctx.db,
      orders.map((o) => o.id),
    );
    return page(c, "My orders", "/orders", <OrdersView orders={orders} lineCounts={counts} />);
  });

  r.get("/orders/:number", "shop.buy", async (c) => {
    const customerId = c.get("user")?.customerId;
    const order = await getOrderByNumber(ctx.db, c.req.param("number") ?? "");
    // Another customer's order is "not found", never "forbidden": numbers are not secrets to confirm.
    if (!order || !customerId || order.customerId !== customerId) throw new NotFoundError("Order");
    return page(
      c,
      `Order ${order.number}`,
      "/orders",
      <OrderView order={order} justPaid={c.req.query("paid") === "1"} csrfToken={c.get("csrfToken")} />,
    );
  });

  /** Pay a pending order again (the buyer left the payment page); only the owner, only while pending. */
  r.post("/orders/:number/pay", "shop.buy", async (c) => {
    const customerId = customerIdOf(c);
    const order = await getOrderByNumber(ctx.db, c.req.param("number") ?? "");
    if (!order || order.customerId !== customerId) throw new NotFoundError("Order");
    if (order.status !== "pending") return c.redirect(`/orders/${order.number}`, 303);
    const start = await startPayment(ctx, order);
    return c.redirect(start.redirectUrl, 303);
  });

  r.get("/wishlist", "wishlist.use", async (c) => {
    const customerId = c.get("user")?.customerId;
    const entries = customerId ? await getWishlist(ctx.db, customerId) : [];
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
