import type { Db } from "../../db/client.ts";
import type { BestSeller, KpiParams, ProductRollup } from "../types.ts";

/** kpis.md `best_sellers`: by units, then revenue, then product id. */
export async function getBestSellers(
  _db: Db,
  _params: KpiParams & { limit?: number },
): Promise<BestSeller[]> {
  throw new Error("not implemented yet");
}

/** Units, revenue, cost and margin per product for the period (ordered by revenue). */
export async function getProductRollups(_db: Db, _params: KpiParams): Promise<ProductRollup[]> {
  throw new Error("not implemented yet");
}
