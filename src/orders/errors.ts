import { AppError } from "../shared/errors.ts";
import type { OrderStatus } from "./schema.ts";

/** A status change the state machine does not allow; nothing was changed. */
export class InvalidTransitionError extends AppError {
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
    orderNumber?: string,
  ) {
    super(
      "order.invalid_transition",
      `Order ${orderNumber ?? ""} cannot go from ${from} to ${to}`.replace("  ", " "),
      409,
      { from, to },
    );
  }
}

export class RefundExceedsTotalError extends AppError {
  constructor(amountRefunded: number, amountTotal: number) {
    super(
      "refund.exceeds_total",
      `Refunded ${amountRefunded} is more than the order total ${amountTotal}`,
      409,
      {
        amountRefunded,
        amountTotal,
      },
    );
  }
}
