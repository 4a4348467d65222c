import { canonicalJson, sha256Hex } from "../shared/canonical-json.ts";

export const GENESIS_HASH = "0".repeat(64);

/** The fields an audit row's hash covers: everything but the hash itself. */
export interface AuditContent {
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ipHash: string | null;
  prevHash: string;
}

export function hashAuditRow(row: AuditContent): string {
  return sha256Hex(
    canonicalJson({
      seq: row.seq,
      at: row.at.toISOString(),
      actorType: row.actorType,
      actorId: row.actorId,
      actorRole: row.actorRole,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      before: row.before ?? null,
      after: row.after ?? null,
      requestId: row.requestId,
      ipHash: row.ipHash,
      prevHash: row.prevHash,
    }),
  );
}

export interface ChainBreak {
  seq: number;
  problem: "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap";
  message: string;
}

/**
 * Walk rows in `seq` order and report the first break. An edited row fails its own hash; a deleted
 * row leaves a gap and a prev-hash mismatch; reordered rows fail both.
 */
export function findChainBreak(
  rows: Iterable<AuditContent & { hash: string }>,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainBreak | null {
  let expectedSeq = start.seq + 1;
  let prevHash = start.hash;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      return {
        seq: row.seq,
        problem: "sequence_gap",
        message: `row ${row.seq}: expected row ${expectedSeq} before it (deleted?)`,
      };
    }
    if (row.prevHash !== prevHash) {
      return {
        seq: row.seq,
        problem: "prev_hash_mismatch",
        message: `row ${row.seq}: does not link to row ${row.seq - 1}`,
      };
    }
    if (hashAuditRow(row) !== row.hash) {
      return {
        seq: row.seq,
        problem: "hash_mismatch",
        message: `row ${row.seq}: content does not match its hash (edited?)`,
      };
    }
    prevHash = row.hash;
    expectedSeq++;
  }
  return null;
}
