import type { Db } from "../../db/client.ts";
import type { KpiParams, Kpis } from "../types.ts";

/** The `kpis` JSON from snapshots (dashboards, CLI, API). */
export async function computeKpis(_db: Db, _params: KpiParams): Promise<Kpis> {
  throw new Error("not implemented yet");
}
