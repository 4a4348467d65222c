import { eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { canonicalJson } from "../shared/canonical-json.ts";
import { type Db, withoutAnswer } from "./client.ts";
import { definedKeys, encodeRow, param, rowParams, StatementsByShape } from "./prepared.ts";

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
  const inserted = (await insertIfNew(tx, table, incoming)) as T[];
  if (inserted[0]) return { outcome: "created", row: inserted[0], previous: null };
  const stored = (await lockById(tx, table, incoming.id)) as T | undefined;
  if (!stored) throw new Error(`row ${incoming.id} vanished during upsert`);
  const merged = merge(stored, incoming);
  if (canonicalJson(merged) === canonicalJson(stored)) {
    return { outcome: "unchanged", row: stored, previous: stored };
  }
  await updateById(tx, table, incoming.id, merged);
  return { outcome: "updated", row: merged, previous: stored };
}

/*
 * Row statements by id, each built once per table and row shape (which keys it writes; see Statement):
 * the webhook path's writes of Stripe objects.
 */

/** `INSERT … ON CONFLICT DO NOTHING RETURNING *` of `row`'s defined keys: the row inserted, or none. */
export async function insertIfNew<T extends TableWithId>(
  tx: Db,
  table: T,
  row: T["$inferInsert"],
): Promise<T["$inferSelect"][]> {
  return (await bindRow(insertReturning, tx, table, row, {})) as T["$inferSelect"][];
}

/** `INSERT … ON CONFLICT DO NOTHING` of `row`'s defined keys; nothing reads its answer (withoutAnswer). */
export async function insertIgnoringConflict<T extends PgTable>(
  tx: Db,
  table: T,
  row: T["$inferInsert"],
): Promise<void> {
  await withoutAnswer(() => bindRow(insertIgnoring, tx, table, row, {}));
}

/** The row with this id, locked (`FOR UPDATE`). */
export async function lockById<T extends TableWithId>(
  tx: Db,
  table: T,
  id: string,
): Promise<T["$inferSelect"] | undefined> {
  const [row] = (await selectForUpdate.for(table, []).run(tx, { "#id": id })) as T["$inferSelect"][];
  return row;
}

/** Writes `row`'s defined keys over the row with this id; nothing reads its answer (withoutAnswer). */
export async function updateById<T extends TableWithId>(
  tx: Db,
  table: T,
  id: string,
  row: Partial<T["$inferInsert"]>,
): Promise<void> {
  await withoutAnswer(() => bindRow(update, tx, table, row, { "#id": id }));
}

function bindRow(
  statements: StatementsByShape<unknown>,
  tx: Db,
  table: PgTable,
  row: object,
  more: Record<string, unknown>,
): Promise<unknown> {
  const values = row as Record<string, unknown>;
  const keys = definedKeys(values);
  return statements.for(table, keys).run(tx, { ...encodeRow(table, values, keys), ...more });
}

const insertReturning = new StatementsByShape((db, table, keys) =>
  db.insert(table).values(rowParams(keys)).onConflictDoNothing().returning(),
);
const insertIgnoring = new StatementsByShape((db, table, keys) =>
  db.insert(table).values(rowParams(keys)).onConflictDoNothing(),
);
const selectForUpdate = new StatementsByShape((db, table) =>
  db
    .select()
    .from(table)
    .where(eq((table as TableWithId).id, param("#id")))
    .for("update"),
);
const update = new StatementsByShape((db, table, keys) =>
  db
    .update(table)
    .set(rowParams(keys))
    .where(eq((table as TableWithId).id, param("#id"))),
);

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
