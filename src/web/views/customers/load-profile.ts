import { type CustomerMrrPoint, customerMrrTimeline } from "../../../analytics/index.ts";
import { type AuditRow, auditEventsAbout } from "../../../audit/index.ts";
import type { Role } from "../../../auth/index.ts";
import type { ServiceContext } from "../../../context.ts";
import { getCustomer } from "../../../customers/index.ts";
import { fingerprintsAbout, type Issue, issuesWithFingerprints } from "../../../monitoring/index.ts";
import {
  getWishlist,
  type Order,
  orderIdsOfCustomer,
  ordersOfCustomer,
  type WishlistEntry,
} from "../../../orders/index.ts";
import { type CustomerLedger, ledgerOfCustomer } from "../../../payments/index.ts";
import { NotFoundError } from "../../../shared/errors.ts";
import { type CustomerSubscription, subscriptionsOfCustomer } from "../../../subscriptions/index.ts";
import { type People, peopleOf } from "../components/actor.ts";
import { type CustomerIdentity, identityOf, identityViewer } from "./identity.ts";

/** Rows per section; each section says when there are more. */
export const PROFILE_ROWS = 50;

export interface CustomerProfile {
  identity: CustomerIdentity;
  stripeCustomerId: string | null;
  createdAt: Date;
  orders: Order[];
  orderCount: number;
  ledger: CustomerLedger;
  subscriptions: CustomerSubscription[];
  mrr: CustomerMrrPoint[];
  wishlist: WishlistEntry[];
  issues: Issue[];
  audit: AuditRow[];
  /** The users named by the audit events, to say who did what. */
  people: People;
}

/**
 * Everything the profile shows about one customer, each part from the domain that owns it and each
 * read through an index on the customer, their orders or their Stripe ids. A read-only composition:
 * it changes nothing, so it is neither a flow nor a domain service.
 */
export async function loadCustomerProfile(
  ctx: ServiceContext,
  customerId: number,
  viewerRole: Role | null | undefined,
): Promise<CustomerProfile> {
  const customer = await getCustomer({ ...ctx, db: ctx.readDb }, customerId);
  if (!customer) throw new NotFoundError("Customer");
  const [orderPage, orderIds, subscriptions, mrr, wishlist] = await Promise.all([
    ordersOfCustomer(ctx, customerId, PROFILE_ROWS),
    orderIdsOfCustomer(ctx, customerId),
    subscriptionsOfCustomer(ctx, customerId),
    customerMrrTimeline(ctx, customer),
    getWishlist({ ...ctx, db: ctx.readDb }, customerId),
  ]);
  const ledger = await ledgerOfCustomer(
    ctx,
    { orderIds, stripeCustomerId: customer.stripeCustomerId },
    PROFILE_ROWS,
  );
  const fingerprints = fingerprintsAbout({
    orderIds,
    chargeIds: ledger.charges.map((c) => c.id),
    subscriptionIds: subscriptions.map((s) => s.id),
  });
  const [issues, audit] = await Promise.all([
    issuesWithFingerprints(ctx, fingerprints, PROFILE_ROWS),
    auditEventsAbout(
      ctx,
      [
        { type: "customer", ids: [customerId] },
        { type: "order", ids: orderIds },
      ],
      PROFILE_ROWS,
    ),
  ]);
  const people = await peopleOf(
    ctx,
    audit.map((e) => ({ type: e.actorType, id: e.actorId })),
  );
  return {
    identity: identityOf(customer, identityViewer(ctx.config.sessionSecret, viewerRole)),
    stripeCustomerId: customer.stripeCustomerId,
    createdAt: customer.createdAt,
    orders: orderPage.orders,
    orderCount: orderPage.total,
    ledger,
    subscriptions,
    mrr,
    wishlist,
    issues,
    audit,
    people,
  };
}
