import type { Db } from "../../db/client.ts";
import type { CohortRow, KpiParams } from "../types.ts";

/** kpis.md `cohort_retention` for cohorts whose first paid order falls in `from`..`to` (per currency). */
export async function getCohortRetention(_db: Db, _params: KpiParams): Promise<CohortRow[]> {
  throw new Error("not implemented yet");
}
