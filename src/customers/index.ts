export {
  type AnonymizeOptions,
  type AnonymizeOutcome,
  anonymizeCustomer,
  anonymizeInactiveCustomers,
  customersInactiveFor,
} from "./anonymize.ts";
export { findCustomersByPrefix } from "./search.ts";
export {
  type CreateCustomerInput,
  type Customer,
  createCustomer,
  findCustomerByStripeId,
  getCustomer,
  requireCustomer,
} from "./service.ts";
export {
  customerIdOfStripeCustomer,
  type StripeCustomerFields,
  upsertCustomerFromStripe,
} from "./stripe-customers.ts";
