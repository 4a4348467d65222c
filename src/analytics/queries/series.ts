import type { Db } from "../../db/client.ts";
import type { Series, SeriesParams } from "../types.ts";

/** One metric over time for dashboards, from snapshots. */
export async function getSeries(_db: Db, _params: SeriesParams): Promise<Series> {
  throw new Error("not implemented yet");
}
