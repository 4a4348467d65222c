export { cancelOrder, expirePendingOrders, fulfillOrder } from "./actions.ts";
export {
  addToCart,
  type CartLine,
  cartCount,
  getCart,
  MAX_LINE_QUANTITY,
  removeFromCart,
  setCartQuantity,
} from "./cart.ts";
export { type CheckoutInput, checkoutSchema, createOrderFromCart } from "./checkout.ts";
export {
  CUSTOMER_ORDER_IDS_LIMIT,
  orderIdsOfCustomer,
  orderNumberOf,
  ordersOfCustomer,
} from "./customer-reads.ts";
export { InvalidTransitionError, RefundExceedsTotalError } from "./errors.ts";
export { ALLOWED_TRANSITIONS, applyTransition, canTransition, transition } from "./lifecycle.ts";
export {
  type Order,
  type OrderLine,
  type OrderTxContext,
  type OrderWithLines,
  orderNumberFor,
  refundableAmount,
} from "./model.ts";
export {
  COUNT_CAP,
  listOrdersForOps,
  type OrderCursor,
  type OrderListFilter,
  type OrderListPage,
  type OrderListRow,
} from "./order-list.ts";
export { applyOrderRefundTotal, lockOrderForPayment, markOrderPaid } from "./payment-hooks.ts";
export {
  findOrderByCheckoutSession,
  findOrderByPaymentIntent,
  getOrder,
  getOrderByNumber,
  lineCounts,
  listOrderEvents,
  listOrders,
  type OrderFilter,
  setOrderPaymentRefs,
} from "./queries.ts";
export { restockOrderLines } from "./restock.ts";
export { ORDER_STATUSES, type OrderStatus } from "./schema.ts";
export {
  getShipment,
  getShippingAddress,
  parseShipment,
  recordShipment,
  removeShippingAddressesOfCustomer,
  SHIPPING_COUNTRIES,
  SHIPPING_COUNTRY_CODES,
  type Shipment,
  type ShipmentInput,
  type ShippingAddress,
  type ShippingAddressInput,
  saveShippingAddress,
  shippingAddressSchema,
} from "./shipping.ts";
export {
  addToWishlist,
  getWishlist,
  moveWishlistItemToCart,
  removeFromWishlist,
  type WishlistEntry,
  wishedProductIds,
} from "./wishlist.ts";
export { getWishlistDemand, type WishlistDemand, type WishlistDemandResult } from "./wishlist-demand.ts";
