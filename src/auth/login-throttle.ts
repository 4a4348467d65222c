import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { loginAttempts } from "./schema.ts";
import { hmac } from "./tokens.ts";

/** Login throttling: failures counted per e-mail and per IP over a sliding window. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;

/** First half of the advisory lock that serialises attempts on one throttle key. */
const LOGIN_THROTTLE_LOCK = 7_240_011;

export interface ThrottleKey {
  /** HMAC of the e-mail or of the IP: rate limiting without storing PII. */
  keyHash: string;
  limit: number;
}

/** The keys one sign-in attempt counts against: its e-mail and its client address. */
export function loginThrottleKeys(secret: string, email: string, ip: string): ThrottleKey[] {
  return [
    { keyHash: hmac(secret, `email:${email.trim().toLowerCase()}`), limit: MAX_FAILURES_PER_EMAIL },
    { keyHash: hmac(secret, `ip:${ip}`), limit: MAX_FAILURES_PER_IP },
  ];
}

/**
 * Reserves one attempt on every key before the password is checked, or returns null when a key has
 * used its allowance. The reservation is written as a failure, so attempts still in flight count
 * against the limit: 40 requests sent at once get at most the allowance checked, not all 40. Count
 * and insert run under a per-key advisory lock, which makes them one step for concurrent requests on
 * any connection (Postgres) and is free on the single embedded one.
 */
export async function reserveLoginAttempt(db: Db, keys: ThrottleKey[], now: Date): Promise<number[] | null> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  return db.transaction(async (tx) => {
    // One lock order for every request, so two attempts never wait on each other in a cycle.
    const locks = [...new Set(keys.map((k) => lockPart(k.keyHash)))].sort((a, b) => a - b);
    for (const part of locks) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOGIN_THROTTLE_LOCK}, ${part})`);
    }
    for (const key of keys) {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(loginAttempts)
        .where(
          and(
            eq(loginAttempts.keyHash, key.keyHash),
            gte(loginAttempts.at, since),
            eq(loginAttempts.success, false),
          ),
        );
      if ((row?.n ?? 0) >= key.limit) return null;
    }
    const rows = await tx
      .insert(loginAttempts)
      .values(keys.map((k) => ({ keyHash: k.keyHash, at: now, success: false })))
      .returning({ id: loginAttempts.id });
    return rows.map((r) => r.id);
  });
}

/**
 * A reservation whose password was right stops counting as a failure; rows older than the window
 * are pruned. (A wrong password leaves its reservation in place: that row is the recorded failure.)
 */
export async function settleSuccessfulAttempt(db: Db, reservation: number[], now: Date): Promise<void> {
  await db.update(loginAttempts).set({ success: true }).where(inArray(loginAttempts.id, reservation));
  await db.delete(loginAttempts).where(lt(loginAttempts.at, new Date(now.getTime() - LOGIN_WINDOW_MS)));
}

/** A 32-bit key per throttle key for the second half of the advisory lock. */
function lockPart(keyHash: string): number {
  let h = 0;
  for (const ch of keyHash) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}
