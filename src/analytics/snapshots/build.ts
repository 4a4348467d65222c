import type { Actor } from "../../audit/index.ts";
import type { Db } from "../../db/client.ts";
import type { BuildResult, SnapshotRange } from "../types.ts";

/**
 * Rebuild the snapshots of `from`..`to` in one transaction (delete + insert, idempotent), audited
 * as `snapshots.build`.
 */
export async function buildSnapshots(
  _db: Db,
  _range: SnapshotRange & { livemode?: boolean },
  _actor: Actor,
): Promise<BuildResult> {
  throw new Error("not implemented yet");
}
