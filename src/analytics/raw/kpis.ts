import type { Db } from "../../db/client.ts";
import type { KpiParams, Kpis } from "../types.ts";

/** The `kpis` JSON from raw tables: the reference path. */
export async function computeKpisRaw(_db: Db, _params: KpiParams): Promise<Kpis> {
  throw new Error("not implemented yet");
}
