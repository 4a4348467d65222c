/** The ids, clock and livemode every object builder shares (one factory, one seed). */
import { createHash } from "node:crypto";

export interface IdGenerator {
  /** `ch_0001Kq…`: the prefix, a per-prefix counter, then seeded letters up to Stripe's usual length. */
  next(prefix: string, length?: number): string;
  /** A deterministic v4-shaped UUID, as Stripe shows idempotency keys. */
  uuid(): string;
  /** Deterministic upper-case letters (coupon ids, invoice prefixes), different on every call. */
  code(length: number): string;
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Lengths of the random part of Stripe ids, as seen in real payloads; the default is 24. */
const ID_LENGTHS: Record<string, number> = { cus: 14, prod: 14, req: 14 };

export function createIdGenerator(seed: number | string = 1): IdGenerator {
  const counters = new Map<string, number>();
  const tick = (key: string): number => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };
  const digest = (label: string): Buffer => createHash("sha256").update(`${seed}:${label}`).digest();
  const letters = (label: string, length: number): string => {
    const bytes = digest(label);
    let out = "";
    for (let i = 0; i < length; i++) out += LETTERS[(bytes[i % bytes.length] ?? 0) % LETTERS.length];
    return out;
  };
  return {
    next(prefix, length = ID_LENGTHS[prefix] ?? 24) {
      const n = tick(prefix);
      const digits = String(n).padStart(4, "0");
      // Letters only after the digits, so the counter is unambiguous and ids never collide.
      return `${prefix}_${digits}${letters(`${prefix}:${n}`, Math.max(4, length - digits.length))}`;
    },
    uuid() {
      const hex = digest(`uuid:${tick("uuid")}`).toString("hex");
      const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
    code(length) {
      return letters(`code:${tick("code")}`, length).toUpperCase();
    },
  };
}

/** What every builder needs: the id generator, the factory clock and the default livemode. */
export interface FactoryContext {
  readonly ids: IdGenerator;
  readonly livemode: boolean;
  /** Unix seconds. */
  now(): number;
}
