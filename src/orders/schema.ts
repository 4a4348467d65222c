import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const ORDER_STATUSES = ["pending", "paid", "fulfilled", "canceled", "refunded"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orders = pgTable(
  "orders",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** Human-readable, e.g. RI-000123. */
    number: text().notNull().unique(),
    customerId: integer().notNull(),
    status: text({ enum: ORDER_STATUSES }).notNull(),
    currency: text().notNull(),
    amountSubtotal: integer().notNull(),
    amountTotal: integer().notNull(),
    amountRefunded: integer().notNull().default(0),
    livemode: boolean().notNull().default(false),
    stripeCheckoutSessionId: text().unique(),
    stripePaymentIntentId: text().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    paidAt: timestamp({ withTimezone: true }),
    fulfilledAt: timestamp({ withTimezone: true }),
    canceledAt: timestamp({ withTimezone: true }),
    refundedAt: timestamp({ withTimezone: true }),
    /** Set once when a pending order's reservation is given back; guards a double release. */
    stockReleasedAt: timestamp({ withTimezone: true }),
    cancelReason: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("orders_customer_idx").on(t.customerId),
    index("orders_status_idx").on(t.status),
    index("orders_paid_at_idx").on(t.paidAt),
    index("orders_created_at_idx").on(t.createdAt),
    // The ops list: newest first within a status or a customer, keyset on (created_at, id).
    index("orders_status_created_idx").on(t.status, t.createdAt, t.id),
    index("orders_customer_created_idx").on(t.customerId, t.createdAt, t.id),
    // An amount range few orders fall in (the ops list's min/max), without walking every order.
    index("orders_currency_amount_idx").on(t.currency, t.amountTotal),
    check("orders_refund_bounds", sql`${t.amountRefunded} >= 0 AND ${t.amountRefunded} <= ${t.amountTotal}`),
  ],
);

export const orderLines = pgTable(
  "order_lines",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer()
      .notNull()
      .references(() => orders.id),
    productId: integer().notNull(),
    sku: text().notNull(),
    name: text().notNull(),
    quantity: integer().notNull(),
    unitPriceAmount: integer().notNull(),
    /** Unit cost at the time of sale (null when unknown). */
    unitCostAmount: integer(),
    amountTotal: integer().notNull(),
    isPreorder: boolean().notNull().default(false),
    restockedQuantity: integer().notNull().default(0),
  },
  (t) => [
    index("order_lines_order_idx").on(t.orderId),
    index("order_lines_product_idx").on(t.productId),
    check("order_lines_qty_positive", sql`${t.quantity} > 0`),
    check(
      "order_lines_restock_bounds",
      sql`${t.restockedQuantity} >= 0 AND ${t.restockedQuantity} <= ${t.quantity}`,
    ),
  ],
);

/** One row per status change: who or what made it, and when. */
export const orderEvents = pgTable(
  "order_events",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer()
      .notNull()
      .references(() => orders.id),
    fromStatus: text(),
    toStatus: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    actorType: text({ enum: ["user", "system", "webhook", "cli"] }).notNull(),
    actorId: text(),
    reason: text(),
  },
  (t) => [index("order_events_order_idx").on(t.orderId)],
);

export const cartItems = pgTable(
  "cart_items",
  {
    customerId: integer().notNull(),
    productId: integer().notNull(),
    quantity: integer().notNull(),
    addedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.productId] })],
);

export const wishlistItems = pgTable(
  "wishlist_items",
  {
    customerId: integer().notNull(),
    productId: integer().notNull(),
    addedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.productId] })],
);

/** Wishlist analytics: adds, removals, moves to cart and purchases of wished products. */
export const wishlistEvents = pgTable(
  "wishlist_events",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer().notNull(),
    productId: integer().notNull(),
    kind: text({ enum: ["added", "removed", "moved_to_cart", "converted"] }).notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    orderId: integer(),
  },
  (t) => [
    index("wishlist_events_product_idx").on(t.productId),
    uniqueIndex("wishlist_events_conv_uq").on(t.orderId, t.productId),
  ],
);

/**
 * Where an order ships: collected on the offline pay page, or read back from Stripe Checkout's
 * shipping address collection when the session completes. One row per order; PII (see anonymise).
 */
export const orderShippingAddresses = pgTable("order_shipping_addresses", {
  orderId: integer()
    .primaryKey()
    .references(() => orders.id),
  name: text().notNull(),
  line1: text().notNull(),
  line2: text(),
  city: text().notNull(),
  state: text(),
  postalCode: text(),
  /** ISO 3166-1 alpha-2, upper case, as Stripe sends it. */
  country: text().notNull(),
  source: text({ enum: ["offline_checkout", "stripe_checkout"] }).notNull(),
  collectedAt: timestamp({ withTimezone: true }).notNull(),
});

/** The parcel ops shipped: carrier and tracking number entered when fulfilling. */
export const orderShipments = pgTable("order_shipments", {
  orderId: integer()
    .primaryKey()
    .references(() => orders.id),
  carrier: text().notNull(),
  trackingNumber: text().notNull(),
  shippedAt: timestamp({ withTimezone: true }).notNull(),
});
