import type { AppContext } from "../../context.ts";

/** Worker job: rebuild the days marked dirty; returns how many days were rebuilt. */
export async function rebuildDirtyDays(_ctx: AppContext): Promise<number> {
  throw new Error("not implemented yet");
}
