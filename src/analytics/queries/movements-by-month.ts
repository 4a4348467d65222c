import type { Db } from "../../db/client.ts";
import type { KpiParams, MonthMovements } from "../types.ts";

/** MRR movements per calendar month overlapping `from`..`to` (clipped to the period). */
export async function getMrrMovementsByMonth(_db: Db, _params: KpiParams): Promise<MonthMovements[]> {
  throw new Error("not implemented yet");
}
