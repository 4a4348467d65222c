import { AppError } from "../../shared/errors.ts";
import { formatMoney } from "../../shared/money.ts";

export class RefundExceedsRefundableError extends AppError {
  constructor(amount: number, refundable: number, currency: string) {
    super(
      "refund.exceeds_refundable",
      `amount: ${formatMoney(amount, currency)} is more than the ${formatMoney(refundable, currency)} still refundable`,
      400,
      {
        field: "amount",
        refundable,
      },
    );
  }
}
