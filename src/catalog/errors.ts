import { AppError } from "../shared/errors.ts";

/** A reservation that would take stock below its floor (0, or −preorder limit). */
export class InsufficientStockError extends AppError {
  constructor(
    readonly productId: number,
    productName: string,
  ) {
    super("stock.insufficient", `Not enough stock for "${productName}"`, 409, { productId });
  }
}
