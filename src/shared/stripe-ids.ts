import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A deterministic source of numbers in [0, 1) for the ids of one caller (the demo seeder). */
const seededIds = new AsyncLocalStorage<() => number>();

/** Run `fn` with offline ids drawn from `rand` instead of the system RNG (deterministic demo data). */
export function withSeededOfflineIds<T>(rand: () => number, fn: () => Promise<T>): Promise<T> {
  return seededIds.run(rand, fn);
}

/** A seed for a simulator factory: random, or from the seeded source when one is active. */
export function offlineSeed(): string {
  return offlineId("seed", 16);
}

/** A Stripe-shaped id with a random tail (`cs_test_a1B2…`). */
export function offlineId(prefix: string, length = 24): string {
  const rand = seededIds.getStore();
  let out = "";
  if (rand) {
    for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  } else {
    for (const byte of randomBytes(length)) out += ALPHABET[byte % ALPHABET.length];
  }
  return `${prefix}_${out}`;
}

/** A Stripe-shaped id derived from an idempotency key: the same key always names the same object. */
export function offlineIdFromKey(prefix: string, key: string, length = 24): string {
  const digest = createHash("sha256").update(key).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[digest[i % digest.length]! % ALPHABET.length];
  return `${prefix}_${out}`;
}
