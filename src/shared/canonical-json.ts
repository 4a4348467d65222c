import { createHash } from "node:crypto";

/**
 * Deterministic JSON for hashing the audit chain: the same data gives the same text whatever the
 * order its keys were added in. Object keys are sorted by UTF-16 code units and numbers and
 * strings are written as JSON.stringify writes them, which together match RFC 8785 (JCS).
 * Otherwise it follows JSON.stringify (toJSON, so Dates become ISO strings; undefined members
 * dropped; undefined in arrays becomes null), except that it throws where JSON.stringify would
 * silently change the data: NaN and infinities (written as null), Map and Set (written as {}).
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, new Set());
  if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
  return text;
}

/** Hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** `undefined` means "no JSON value here" (undefined, a function or a symbol), as in JSON.stringify. */
function write(input: unknown, ancestors: Set<object>): string | undefined {
  const value = hasToJson(input) ? input.toJSON() : input;
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not JSON`);
      return JSON.stringify(value);
    case "bigint":
      throw new TypeError("canonicalJson: a bigint is not JSON; convert it to a string first");
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null || typeof value !== "object") return "null";
  if (value instanceof Map || value instanceof Set) {
    throw new TypeError("canonicalJson: a Map or Set would be written as {}; convert it first");
  }
  if (ancestors.has(value)) throw new TypeError("canonicalJson: circular structure");
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // Array.from visits holes too, which JSON writes as null like undefined.
      return `[${Array.from(value, (item: unknown) => write(item, ancestors) ?? "null").join(",")}]`;
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort(compareCodeUnits)) {
      const text = write(record[key], ancestors);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(",")}}`;
  } finally {
    ancestors.delete(value);
  }
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  );
}

/** UTF-16 code unit order, as RFC 8785 asks (not locale order, not numeric order for "10" vs "9"). */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
