export {
  type CreateCustomerInput,
  type Customer,
  createCustomer,
  findCustomerByStripeId,
  getCustomer,
  requireCustomer,
} from "./service.ts";
