import type { Db } from "../../db/client.ts";

/** The currency with the most succeeded charges (ties: alphabetical); "usd" when there are none. */
export async function defaultCurrency(_db: Db, _livemode = false): Promise<string> {
  throw new Error("not implemented yet");
}
