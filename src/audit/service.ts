import { and, asc, desc, eq, gt, gte, lt, type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import type { Actor } from "./actor.ts";
import { type ChainBreak, findChainBreak, GENESIS_HASH, hashAuditRow } from "./chain.ts";
import { auditLog } from "./schema.ts";

/** Serialises appends so the chain stays linear across concurrent transactions and replicas. */
const AUDIT_CHAIN_LOCK = 7_240_002;

export interface AuditTarget {
  type: string;
  id?: string | number | null;
}

/**
 * Append one audit event. Call it with the transaction that makes the change, so the change and
 * its record commit together. `before`/`after` are summaries without PII (ids, statuses, amounts).
 */
export async function audit(
  tx: Db,
  actor: Actor,
  action: string,
  target: AuditTarget,
  after?: Record<string, unknown> | null,
  before?: Record<string, unknown> | null,
  at: Date = new Date(),
): Promise<number> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at,
    actorType: actor.type,
    actorId: actor.id,
    actorRole: actor.role,
    action,
    targetType: target.type,
    targetId: target.id === undefined || target.id === null ? null : String(target.id),
    before: before ?? null,
    after: after ?? null,
    requestId: actor.requestId ?? null,
    ipHash: actor.ipHash ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  // JSON round-trip so the hash covers exactly what jsonb stores (e.g. Dates become strings).
  const normalised = { ...row, before: jsonRoundTrip(row.before), after: jsonRoundTrip(row.after) };
  await tx.insert(auditLog).values({ ...normalised, hash: hashAuditRow(normalised) });
  return row.seq;
}

function jsonRoundTrip(value: unknown): unknown {
  return value === null || value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** A hash recorded outside the database (from `lastHash`/`lastSeq`), to check the chain still holds it. */
export interface AuditAnchor {
  hash: string;
  /** The recorded row's seq; without it the hash may be at any row. */
  seq?: number;
}

export interface AnchorCheck {
  ok: boolean;
  hash: string;
  /** Where the hash was expected (or found, when only the hash was given). */
  seq: number | null;
  problem: "anchor_missing" | "anchor_mismatch" | "anchor_not_found" | null;
  message: string;
}

export interface VerifyResult {
  /** The chain is intact and, when an anchor was given, still holds it. */
  ok: boolean;
  rows: number;
  firstBreak: ChainBreak | null;
  /** The last row in chain order and its hash (null for an empty or broken chain): record these to anchor it. */
  lastSeq: number | null;
  lastHash: string | null;
  /** Present when an anchor was given and the chain is intact. */
  anchor?: AnchorCheck;
}

/**
 * Recompute the whole chain in pages; reports the first broken row. A valid chain with rows cut off
 * its end still verifies, so pass an `anchor` (an earlier `lastSeq`/`lastHash` kept outside the
 * database) to prove those rows are still there: the row at `anchor.seq` must exist with that hash.
 */
export async function verifyAuditChain(
  ctx: Pick<ServiceContext, "db">,
  options: { anchor?: AuditAnchor; pageSize?: number } = {},
): Promise<VerifyResult> {
  const { db } = ctx;
  const { anchor, pageSize = 5000 } = options;
  let cursor = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  let anchorFound: { seq: number; hash: string } | null = null;
  for (;;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, cursor.seq))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    if (page.length === 0) break;
    const broken = findChainBreak(page, cursor);
    if (broken) return { ok: false, rows: count, firstBreak: broken, lastSeq: null, lastHash: null };
    if (anchor && !anchorFound) {
      const row = page.find((r) =>
        anchor.seq === undefined ? r.hash === anchor.hash : r.seq === anchor.seq,
      );
      if (row) anchorFound = { seq: row.seq, hash: row.hash };
    }
    const last = page[page.length - 1]!;
    cursor = { seq: last.seq, hash: last.hash };
    count += page.length;
  }
  const lastSeq = count > 0 ? cursor.seq : null;
  const lastHash = count > 0 ? cursor.hash : null;
  const result: VerifyResult = { ok: true, rows: count, firstBreak: null, lastSeq, lastHash };
  if (!anchor) return result;
  const check = checkAnchor(anchor, anchorFound, lastSeq);
  return { ...result, ok: check.ok, anchor: check };
}

function checkAnchor(
  anchor: AuditAnchor,
  found: { seq: number; hash: string } | null,
  lastSeq: number | null,
): AnchorCheck {
  const { hash } = anchor;
  const end = lastSeq === null ? "the chain is empty" : `the chain ends at #${lastSeq}`;
  if (anchor.seq === undefined) {
    return found
      ? {
          ok: true,
          hash,
          seq: found.seq,
          problem: null,
          message: `anchor ${hash} found at row #${found.seq}`,
        }
      : {
          ok: false,
          hash,
          seq: null,
          problem: "anchor_not_found",
          message: `anchor ${hash} not found in the chain; ${end} (rows removed from the end, or the chain rewritten?)`,
        };
  }
  const seq = anchor.seq;
  if (!found) {
    return {
      ok: false,
      hash,
      seq,
      problem: "anchor_missing",
      message: `anchor row #${seq} is missing: ${end} (rows removed from the end?)`,
    };
  }
  if (found.hash !== hash) {
    return {
      ok: false,
      hash,
      seq,
      problem: "anchor_mismatch",
      message: `anchor row #${seq} has hash ${found.hash}, not the recorded ${hash} (row altered, or the chain rewritten?)`,
    };
  }
  return { ok: true, hash, seq, problem: null, message: `anchor row #${seq} ${hash} found; ${end}` };
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

function filterConditions(f: AuditFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (f.actorId) conditions.push(eq(auditLog.actorId, f.actorId));
  if (f.action) conditions.push(eq(auditLog.action, f.action));
  if (f.targetType) conditions.push(eq(auditLog.targetType, f.targetType));
  if (f.targetId) conditions.push(eq(auditLog.targetId, f.targetId));
  if (f.from) conditions.push(gte(auditLog.at, f.from));
  if (f.to) conditions.push(lt(auditLog.at, f.to));
  return conditions.length ? and(...conditions) : undefined;
}

export async function listAuditEvents(
  ctx: Pick<ServiceContext, "db">,
  filter: AuditFilter,
  page = 1,
  pageSize = 50,
) {
  const { db } = ctx;
  const where = filterConditions(filter);
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.seq))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(where);
  return { rows, total: total?.n ?? 0, page, pageSize };
}

/** All matching rows, oldest first, in pages (for the CSV export of a filtered view). */
export async function* iterateAuditEvents(
  ctx: Pick<ServiceContext, "db">,
  filter: AuditFilter,
  pageSize = 2000,
) {
  const { db } = ctx;
  let after = 0;
  for (;;) {
    const where = and(filterConditions(filter), gt(auditLog.seq, after));
    const page = await db.select().from(auditLog).where(where).orderBy(asc(auditLog.seq)).limit(pageSize);
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.seq;
  }
}
