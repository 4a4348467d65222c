/**
 * Use cases that change more than one domain: the only place routes and CLI commands call when
 * more than one domain changes. Each takes the app context first, then its input and the actor.
 */
export {
  anonymizeCustomerData,
  anonymizeInactiveCustomerData,
  type CustomerErasure,
} from "./anonymize-customer.ts";
export { cancelOrder } from "./cancel-order.ts";
export { fulfilOrder } from "./fulfil-order.ts";
export { importFxRates } from "./import-fx-rates.ts";
export { refundOrder, refundOrderFromForm } from "./refund-order.ts";
export { type ReplayReport, replayEvent, replayFailedEvents } from "./replay-event.ts";
export { signUpShopper } from "./sign-up.ts";
