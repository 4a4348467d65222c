import type { AppContext } from "../context.ts";
import {
  type AnonymizeOptions,
  type AnonymizeOutcome,
  anonymizeCustomer,
  customersInactiveFor,
} from "../customers/index.ts";
import { removeShippingAddressesOfCustomer } from "../orders/index.ts";

export type CustomerErasure = AnonymizeOutcome & { shippingAddresses: number };

/**
 * A customer's personal data, wherever a domain keeps it: the customer record and its logins
 * (customers, auth), then the shipping addresses of their orders (orders). Each step is its own
 * audited transaction and idempotent, so a retry after a failure finishes the job.
 */
export async function anonymizeCustomerData(
  ctx: AppContext,
  customerId: number,
  options: AnonymizeOptions,
): Promise<CustomerErasure> {
  const outcome = await anonymizeCustomer(ctx, customerId, options);
  const shippingAddresses = await removeShippingAddressesOfCustomer(ctx, customerId, options.actor);
  return { ...outcome, shippingAddresses };
}

/** Retention: every customer inactive for `days` days, as `anonymizeCustomerData` does one. */
export async function anonymizeInactiveCustomerData(
  ctx: AppContext,
  days: number,
  options: Omit<AnonymizeOptions, "reason">,
): Promise<CustomerErasure[]> {
  const outcomes: CustomerErasure[] = [];
  for (const id of await customersInactiveFor(ctx, days))
    outcomes.push(await anonymizeCustomerData(ctx, id, { ...options, reason: "retention" }));
  return outcomes;
}
