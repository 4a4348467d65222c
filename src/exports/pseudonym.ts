import { createHmac } from "node:crypto";

/** Entries kept before the cache starts over; bounds memory whatever the number of customers. */
const CACHE_LIMIT = 50_000;

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
      key = createHmac("sha256", secret).update(`customer:${customerId}`).digest("hex").slice(0, 32);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(customerId, key);
    }
    return key;
  };
}
