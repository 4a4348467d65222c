/**
 * Where an order ships and how it shipped: the address the buyer gave at checkout (our offline pay
 * page or Stripe Checkout's address collection) and the carrier and tracking number ops enter when
 * fulfilling.
 */
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { AppError, NotFoundError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { orderShipments, orderShippingAddresses, orders } from "./schema.ts";

/** Countries the shop ships to (ISO 3166-1 alpha-2); Stripe Checkout offers the same list. */
export const SHIPPING_COUNTRIES = {
  US: "United States",
  CA: "Canada",
  GB: "United Kingdom",
  IE: "Ireland",
  DE: "Germany",
  FR: "France",
  NL: "Netherlands",
  ES: "Spain",
  IT: "Italy",
  AU: "Australia",
  KW: "Kuwait",
} as const;
export type ShippingCountry = keyof typeof SHIPPING_COUNTRIES;
export const SHIPPING_COUNTRY_CODES = Object.keys(SHIPPING_COUNTRIES) as ShippingCountry[];

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((v) => (v === "" ? null : v))
    .nullish();

export const shippingAddressSchema = z.object({
  name: z.string().trim().min(1, "enter the name to ship to").max(100, "must be at most 100 characters"),
  line1: z.string().trim().min(1, "enter the street address").max(200, "must be at most 200 characters"),
  line2: optionalText(200),
  city: z.string().trim().min(1, "enter the city").max(100, "must be at most 100 characters"),
  state: optionalText(100),
  postalCode: optionalText(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(SHIPPING_COUNTRY_CODES, { message: "choose a country we ship to" })),
});
export type ShippingAddressInput = z.input<typeof shippingAddressSchema>;
export type ShippingAddress = typeof orderShippingAddresses.$inferSelect;
export type Shipment = typeof orderShipments.$inferSelect;

/**
 * Stores (or replaces, while the order is pending) the address an order ships to. Stripe's address
 * comes with the completed session, when the order may already be paid: `source` stripe_checkout
 * is accepted in any status, once per order and never over an existing address.
 */
export async function saveShippingAddress(
  ctx: Pick<ServiceContext, "db" | "clock">,
  orderId: number,
  input: unknown,
  source: ShippingAddress["source"],
): Promise<ShippingAddress> {
  const data = parseInput(shippingAddressSchema, input);
  const now = ctx.clock.now();
  const [order] = await ctx.db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  if (!order) throw new NotFoundError("Order");
  const row = { orderId, ...data, source, collectedAt: now };
  if (source === "stripe_checkout") {
    await ctx.db.insert(orderShippingAddresses).values(row).onConflictDoNothing();
  } else {
    if (order.status !== "pending")
      throw new AppError(
        "order.address_locked",
        "The shipping address of a paid order cannot change here",
        409,
      );
    await ctx.db
      .insert(orderShippingAddresses)
      .values(row)
      .onConflictDoUpdate({
        target: orderShippingAddresses.orderId,
        set: { ...data, source, collectedAt: now },
      });
  }
  return (await getShippingAddress(ctx, orderId))!;
}

export async function getShippingAddress(
  ctx: Pick<ServiceContext, "db">,
  orderId: number,
): Promise<ShippingAddress | undefined> {
  const [row] = await ctx.db
    .select()
    .from(orderShippingAddresses)
    .where(eq(orderShippingAddresses.orderId, orderId));
  return row;
}

export const shipmentSchema = z
  .object({
    carrier: optionalText(60),
    trackingNumber: z
      .string()
      .trim()
      .max(64, "must be at most 64 characters")
      .regex(/^[A-Za-z0-9 -]*$/, "letters, digits, spaces and dashes only")
      .transform((v) => (v === "" ? null : v.toUpperCase()))
      .nullish(),
  })
  .refine((s) => !s.carrier === !s.trackingNumber, {
    message: "enter both the carrier and the tracking number, or neither",
    path: ["trackingNumber"],
  });
export type ShipmentInput = z.input<typeof shipmentSchema>;

/** The carrier and tracking number as validated, or null when ops shipped without tracking. */
export function parseShipment(input: unknown): { carrier: string; trackingNumber: string } | null {
  const data = parseInput(shipmentSchema, input);
  return data.carrier && data.trackingNumber
    ? { carrier: data.carrier, trackingNumber: data.trackingNumber }
    : null;
}

/** Records the parcel of a fulfilled order (audited as order.shipment); a fulfilled order has one. */
export async function recordShipment(
  ctx: ServiceContext,
  input: { orderId: number; carrier: string; trackingNumber: string },
  actor: Actor,
): Promise<Shipment> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx: Db) => {
    const [order] = await tx
      .select({ status: orders.status, number: orders.number })
      .from(orders)
      .where(eq(orders.id, input.orderId));
    if (!order) throw new NotFoundError("Order");
    const [row] = await tx
      .insert(orderShipments)
      .values({ ...input, shippedAt: now })
      .onConflictDoUpdate({
        target: orderShipments.orderId,
        set: { carrier: input.carrier, trackingNumber: input.trackingNumber },
      })
      .returning();
    await audit(
      tx,
      actor,
      "order.shipment",
      { type: "order", id: input.orderId },
      { number: order.number, carrier: input.carrier, trackingNumber: input.trackingNumber },
      null,
      now,
    );
    return row!;
  });
}

export async function getShipment(
  ctx: Pick<ServiceContext, "db">,
  orderId: number,
): Promise<Shipment | undefined> {
  const [row] = await ctx.db.select().from(orderShipments).where(eq(orderShipments.orderId, orderId));
  return row;
}

/**
 * Erasure of a customer reaches the addresses their orders shipped to (the same personal data as
 * their name): the rows go, in one transaction with an audit event that counts them and names no
 * value. The orders themselves stay. Returns how many addresses were removed.
 */
export async function removeShippingAddressesOfCustomer(
  ctx: ServiceContext,
  customerId: number,
  actor: Actor,
): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx: Db) => {
    const removed = await tx
      .delete(orderShippingAddresses)
      .where(
        inArray(
          orderShippingAddresses.orderId,
          tx.select({ id: orders.id }).from(orders).where(eq(orders.customerId, customerId)),
        ),
      )
      .returning({ orderId: orderShippingAddresses.orderId });
    if (removed.length > 0)
      await audit(
        tx,
        actor,
        "customer.shipping_addresses_remove",
        { type: "customer", id: customerId },
        { removed: removed.length },
        null,
        now,
      );
    return removed.length;
  });
}
