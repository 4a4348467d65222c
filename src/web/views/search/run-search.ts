import { can, type Role } from "../../../auth/index.ts";
import { searchProducts } from "../../../catalog/index.ts";
import type { ServiceContext } from "../../../context.ts";
import {
  type Customer,
  findCustomerByStripeId,
  findCustomersByPrefix,
  getCustomer,
} from "../../../customers/index.ts";
import { findOrderByPaymentIntent, getOrder, getOrderByNumber, type Order } from "../../../orders/index.ts";
import { findPaymentRecord, type PaymentRecord } from "../../../payments/index.ts";
import { formatMoney } from "../../../shared/money.ts";
import { findBillingRecord } from "../../../subscriptions/index.ts";
import { dateTime } from "../components/format.ts";
import { identityOf, identityViewer } from "../customers/identity.ts";
import { planSearch, type SearchPlan, STRIPE_PREFIXES } from "./query.ts";

/** Most results per kind: the page answers "where is it", it is not a listing. */
export const PER_KIND = 10;

export const KINDS = ["order", "customer", "payment", "subscription", "event", "product"] as const;
export type SearchKind = (typeof KINDS)[number];
export const KIND_LABELS: Record<SearchKind, string> = {
  order: "Orders",
  customer: "Customers",
  payment: "Payments, refunds and disputes",
  subscription: "Subscriptions and invoices",
  event: "Stripe events",
  product: "Products",
};

export interface SearchHit {
  kind: SearchKind;
  title: string;
  detail: string;
  /** null when the viewer's role has no page for it. */
  href: string | null;
}

export interface SearchResult {
  plan: SearchPlan;
  groups: Array<{ kind: SearchKind; hits: SearchHit[] }>;
  /** The page an exact id leads to: the route redirects there. */
  jump: string | null;
  /** Searches the viewer's role does not get (by name or e-mail without `customers.pii`). */
  withheld: string[];
}

/**
 * The global search: each kind is asked of its own domain, through an index (unique ids, primary
 * keys, the order number, prefix indexes on e-mail and name; products are the small catalog), at
 * most PER_KIND each. A read-only composition over the domains; it changes nothing.
 */
export async function runSearch(ctx: ServiceContext, text: string, role: Role): Promise<SearchResult> {
  const plan = planSearch(text);
  const viewer = identityViewer(ctx.config.sessionSecret, role);
  const customerHit = (c: Customer, detail?: string): SearchHit => {
    const who = identityOf(c, viewer);
    const about = [who.email, c.stripeCustomerId, `#${c.id}`].filter(Boolean).join(" · ");
    return { kind: "customer", title: who.name, detail: detail ?? about, href: `/customers/${c.id}` };
  };
  const orderHit = (o: Order): SearchHit => ({
    kind: "order",
    title: o.number,
    detail: `${o.status} · ${formatMoney(o.amountTotal, o.currency)} · ${dateTime(o.createdAt)}`,
    href: can(role, "orders.view_all") ? `/admin/orders/${o.number}` : null,
  });
  const hits: SearchHit[] = [];
  let exact: SearchHit | null = null;

  if (plan.stripeId) {
    exact = await stripeIdHit(ctx, plan.stripeId.id, role, customerHit, orderHit);
    if (exact) hits.push(exact);
  }
  if (plan.orderNumber) {
    const order = await getOrderByNumber({ ...ctx, db: ctx.readDb }, plan.orderNumber);
    if (order) hits.push(orderHit(order));
    if (order && plan.explicitOrderNumber) exact = orderHit(order);
  }
  if (plan.customerId !== null) {
    const c = await getCustomer({ ...ctx, db: ctx.readDb }, plan.customerId);
    if (c) hits.push(customerHit(c));
  }
  const withheld: string[] = [];
  if (plan.words) {
    if (viewer.pii) {
      for (const c of await findCustomersByPrefix(ctx, plan.words, PER_KIND)) {
        if (!hits.some((h) => h.href === `/customers/${c.id}`)) hits.push(customerHit(c));
      }
    } else withheld.push("customers by name or e-mail");
    const catalogPages = can(role, "catalog.manage");
    for (const p of await searchProducts(ctx, plan.words, PER_KIND)) {
      hits.push({
        kind: "product",
        title: p.name,
        detail: `${p.sku} · ${formatMoney(p.priceAmount, p.currency)}${p.active ? "" : " · inactive"}`,
        href: catalogPages ? `/admin/products/${p.id}` : `/products/${p.id}`,
      });
    }
  }
  const groups = KINDS.map((kind) => ({
    kind,
    hits: hits.filter((h) => h.kind === kind).slice(0, PER_KIND),
  })).filter((g) => g.hits.length > 0);
  // Digits alone may be an order and a customer: jump only when one thing matched.
  if (!exact && plan.customerId !== null && hits.length === 1) exact = hits[0]!;
  return { plan, groups, jump: exact?.href ?? null, withheld };
}

/** A Stripe id's own row, shown as its owner: the order that holds it, else the customer. */
async function stripeIdHit(
  ctx: ServiceContext,
  id: string,
  role: Role,
  customerHit: (c: Customer, detail?: string) => SearchHit,
  orderHit: (o: Order) => SearchHit,
): Promise<SearchHit | null> {
  const prefix = id.slice(0, id.indexOf("_")) as keyof typeof STRIPE_PREFIXES;
  const what = `${STRIPE_PREFIXES[prefix]} ${id}`;
  if (prefix === "cus") {
    const c = await findCustomerByStripeId({ ...ctx, db: ctx.readDb }, id);
    return c ? customerHit(c) : null;
  }
  if (prefix === "sub" || prefix === "in") {
    const record = await findBillingRecord(ctx, id);
    if (!record) return null;
    const owner = await ownerCustomer(ctx, record.customerId, record.stripeCustomerId);
    const detail = `${what} · ${record.status} · ${formatMoney(record.amount, record.currency)}`;
    return { kind: "subscription", title: id, detail, href: owner ? customerHit(owner).href : null };
  }
  if (prefix === "pi") {
    const order = await findOrderByPaymentIntent({ ...ctx, db: ctx.readDb }, id);
    if (order) return { ...orderHit(order), kind: "payment", detail: `${what} · order ${order.number}` };
  }
  const record = await findPaymentRecord(ctx, id);
  if (!record) return null;
  if (record.kind === "event") {
    const href = can(role, "webhooks.view") ? `/webhooks/events/${encodeURIComponent(id)}` : null;
    return {
      kind: "event",
      title: id,
      detail: `${record.detail} · ${record.status} · ${dateTime(record.created)}`,
      href,
    };
  }
  return paymentHit(ctx, record, what, customerHit, orderHit);
}

async function paymentHit(
  ctx: ServiceContext,
  record: PaymentRecord,
  what: string,
  customerHit: (c: Customer, detail?: string) => SearchHit,
  orderHit: (o: Order) => SearchHit,
): Promise<SearchHit> {
  const amount =
    record.amount !== null && record.currency ? ` · ${formatMoney(record.amount, record.currency)}` : "";
  const detail = `${what} · ${record.status}${amount}`;
  const order = record.orderId ? await getOrder({ ...ctx, db: ctx.readDb }, record.orderId) : undefined;
  if (order)
    return {
      kind: "payment",
      title: record.id,
      detail: `${detail} · order ${order.number}`,
      href: orderHit(order).href,
    };
  const owner = await ownerCustomer(ctx, null, record.stripeCustomerId);
  return { kind: "payment", title: record.id, detail, href: owner ? customerHit(owner).href : null };
}

async function ownerCustomer(
  ctx: ServiceContext,
  customerId: number | null,
  stripeCustomerId: string | null,
): Promise<Customer | undefined> {
  if (customerId !== null) return getCustomer({ ...ctx, db: ctx.readDb }, customerId);
  return stripeCustomerId ? findCustomerByStripeId({ ...ctx, db: ctx.readDb }, stripeCustomerId) : undefined;
}
