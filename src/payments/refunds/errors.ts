import { AppError } from "../../shared/errors.ts";

export class RefundExceedsRefundableError extends AppError {
  constructor(amount: number, refundable: number) {
    super(
      "refund.exceeds_refundable",
      `amount: ${amount} is more than the ${refundable} still refundable`,
      400,
      {
        field: "amount",
        refundable,
      },
    );
  }
}
