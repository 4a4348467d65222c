import type { AppContext } from "../../context.ts";
import { AppError } from "../../shared/errors.ts";
import type { RefundRequest, RefundStart } from "../provider.ts";

/** Offline refunds: the simulator answers like Stripe's refunds API (filled in with the webhook path). */
export async function simulateRefund(_ctx: AppContext, _request: RefundRequest): Promise<RefundStart> {
  throw new AppError("payments.unavailable", "Offline refunds are not available yet", 503);
}
