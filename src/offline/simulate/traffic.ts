import { systemActor } from "../../audit/index.ts";
import { createProduct, listProducts } from "../../catalog/index.ts";
import type { AppContext } from "../../context.ts";
import { createCustomer } from "../../customers/index.ts";
import { createOrderFromCart } from "../../orders/index.ts";
import { createRefund } from "../../payments/refunds/service.ts";
import { fixedClock } from "../../shared/clock.ts";
import { seededRandom } from "../../shared/seeded-random.ts";
import { emit } from "../emit.ts";
import { createStripeFactory } from "../objects/event-factory.ts";
import { simulateCheckout } from "./checkout.ts";
import { simulateSubscriptions } from "./subscriptions.ts";

export interface SimulationReport {
  days: number;
  orders: number;
  paid: number;
  declined: number;
  refunds: number;
  subscriptionEvents: number;
}

/**
 * Generates `days` of shop traffic ending now, through the services and the signed webhook path:
 * checkouts (about 1 in 8 declined), refunds (about 1 in 10 paid orders, some partial) and
 * subscriptions that start, renew, upgrade, downgrade and cancel.
 */
export async function simulateTraffic(
  ctx: AppContext,
  options: {
    days: number;
    seed: number;
    /** Called after each simulated day with the days done and the days in all. */
    onDay?: (done: number, total: number) => void;
  },
): Promise<SimulationReport> {
  const rand = seededRandom(options.seed);
  const end = ctx.clock.now();
  const clock = fixedClock(new Date(end.getTime() - options.days * 86_400_000));
  const sim: AppContext = { ...ctx, clock };
  const tag = `${options.seed}-${end.getTime().toString(36)}`;
  let products = (await listProducts(ctx, { activeOnly: true })).filter((p) => p.stockOnHand > 50);
  if (products.length === 0) {
    for (const [i, price] of [1500, 2900, 4900, 9900].entries()) {
      products.push(
        await createProduct(
          sim,
          {
            sku: `SIM-${tag}-${i}`,
            name: `Simulated product ${i + 1}`,
            priceAmount: price,
            currency: "usd",
            stockOnHand: 5000,
          },
          systemActor,
        ),
      );
    }
  }
  products = products.filter((p) => p.currency === products[0]!.currency);
  const customerIds: number[] = [];
  for (let i = 0; i < 12; i++) {
    const c = await createCustomer(sim, {
      email: `sim-${tag}-${i}@example.test`,
      name: `Sim Buyer ${i + 1}`,
    });
    customerIds.push(c.id);
  }
  const report: SimulationReport = {
    days: options.days,
    orders: 0,
    paid: 0,
    declined: 0,
    refunds: 0,
    subscriptionEvents: 0,
  };
  const factory = createStripeFactory({
    seed: `sim-${tag}`,
    now: clock.now(),
    livemode: ctx.config.livemode,
  });
  const subs = simulateSubscriptions(sim, factory, rand, (event) => emit(sim, event));
  for (let day = 0; day < options.days; day++) {
    const dayStart = end.getTime() - (options.days - day) * 86_400_000;
    const checkouts = 2 + Math.floor(rand() * 5);
    for (let n = 0; n < checkouts; n++) {
      clock.set(new Date(dayStart + Math.floor(rand() * 86_000_000)));
      const product = products[Math.floor(rand() * products.length)]!;
      const customerId = customerIds[Math.floor(rand() * customerIds.length)]!;
      const order = await createOrderFromCart(
        sim,
        { customerId, items: [{ productId: product.id, quantity: 1 + Math.floor(rand() * 3) }] },
        systemActor,
      );
      report.orders += 1;
      const declined = rand() < 0.125;
      if (!(await simulateCheckout(sim, clock, order, declined ? "decline" : "pay"))) continue;
      if (declined) {
        report.declined += 1;
        continue;
      }
      report.paid += 1;
      if (rand() < 0.1) {
        clock.advance(3_600_000);
        const partial = rand() < 0.5;
        const amount = partial ? Math.max(1, Math.floor(order.amountTotal / 2)) : order.amountTotal;
        await createRefund(sim, { orderId: order.id, amount, restock: !partial }, systemActor);
        report.refunds += 1;
      }
    }
    clock.set(new Date(dayStart + 43_200_000));
    factory.setNow(clock.now());
    report.subscriptionEvents += await subs.day();
    options.onDay?.(day + 1, options.days);
  }
  return report;
}
