import { createHmac } from "node:crypto";

/**
 * Entries kept before the cache starts over; bounds memory (about 100 bytes an entry) whatever the
 * number of customers. Facts are ordered by their own ids, not by customer, so a cache smaller than
 * the customer base computes most keys again for every file.
 */
const CACHE_LIMIT = 250_000;

/**
 * The BI pack's customer key: HMAC-SHA-256 of the customer id under the session secret, truncated to
 * 128 bits. Stable across exports (a warehouse can join them), not reversible without the secret;
 * rotating SESSION_SECRET changes every key.
 */
export function customerKeyer(secret: string): (customerId: number | null) => string | null {
  const cache = new Map<number, string>();
  return (customerId) => {
    if (customerId === null) return null;
    let key = cache.get(customerId);
    if (key === undefined) {
      // Hex of the first 16 bytes: a flat 32-character string, not a slice that keeps the full digest.
      key = createHmac("sha256", secret).update(`customer:${customerId}`).digest().toString("hex", 0, 16);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(customerId, key);
    }
    return key;
  };
}
