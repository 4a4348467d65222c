import { eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { canonicalJson } from "../shared/canonical-json.ts";
import { type Db, withoutAnswer } from "./client.ts";

export type UpsertOutcome = "created" | "updated" | "unchanged";

export interface MergeResult<T> {
  outcome: UpsertOutcome;
  row: T;
  previous: T | null;
}

type TableWithId = PgTable & { id: PgColumn };

/**
 * Insert a Stripe object's row, or merge it into the stored one under a row lock. `merge` decides
 * field by field (newer event wins, monotonic fields only grow), so any delivery order ends in the
 * same row; a merge that changes nothing writes nothing (`unchanged`), which keeps sync idempotent.
 */
export async function mergeUpsert<T extends { id: string }>(
  tx: Db,
  table: TableWithId,
  incoming: T,
  merge: (stored: T, incoming: T) => T,
): Promise<MergeResult<T>> {
  const inserted = (await tx.insert(table).values(incoming).onConflictDoNothing().returning()) as T[];
  if (inserted[0]) return { outcome: "created", row: inserted[0], previous: null };
  const [stored] = (await tx.select().from(table).where(eq(table.id, incoming.id)).for("update")) as T[];
  if (!stored) throw new Error(`row ${incoming.id} vanished during upsert`);
  const merged = merge(stored, incoming);
  if (canonicalJson(merged) === canonicalJson(stored)) {
    return { outcome: "unchanged", row: stored, previous: stored };
  }
  await withoutAnswer(() => tx.update(table).set(merged).where(eq(table.id, incoming.id)));
  return { outcome: "updated", row: merged, previous: stored };
}

/** Is `incoming` at least as new as `stored` (by the `created` of the event that wrote it)? */
export function isNewer(stored: { sourceEventCreated: Date }, incoming: { sourceEventCreated: Date }) {
  return incoming.sourceEventCreated.getTime() >= stored.sourceEventCreated.getTime();
}

export function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** Pick by status progress first (a final status beats an intermediate one), then by event time. */
export function pickByRank<S extends string>(
  rank: (status: S) => number,
  stored: S,
  incoming: S,
  incomingIsNewer: boolean,
): S {
  const a = rank(stored);
  const b = rank(incoming);
  if (a !== b) return b > a ? incoming : stored;
  return incomingIsNewer ? incoming : stored;
}
