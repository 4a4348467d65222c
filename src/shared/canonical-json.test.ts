import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "./canonical-json.ts";

/** Rebuilds every object with its keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).reverse();
  return Object.fromEntries(entries.map(([k, v]) => [k, reverseKeys(v)]));
}

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    const value = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } };
    expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("orders keys by UTF-16 code units, not by JavaScript's integer-key order", () => {
    // JSON.stringify would put "9" before "10"; code units give "10" < "9" < "B" < "a" < "b" < "é"
    const value = { b: 1, B: 2, a: 3, é: 4, 10: 5, 9: 6 };
    expect(canonicalJson(value)).toBe('{"10":5,"9":6,"B":2,"a":3,"b":1,"é":4}');
  });

  it("writes strings, numbers and dates as JSON does", () => {
    expect(canonicalJson({ s: 'Zoë\n"x"\u0001' })).toBe('{"s":"Zoë\\n\\"x\\"\\u0001"}');
    expect(canonicalJson([0.1, -0, 1e21, -5, 1200])).toBe("[0.1,0,1e+21,-5,1200]");
    expect(canonicalJson({ at: new Date("2026-01-02T03:04:05Z") })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
    expect(canonicalJson("plain")).toBe('"plain"');
    expect(canonicalJson(true)).toBe("true");
    expect(canonicalJson(null)).toBe("null");
  });

  it("drops undefined members and writes undefined array items as null", () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test
    expect(canonicalJson([1, , 3])).toBe("[1,null,3]");
  });

  it("allows the same object twice when it is not a cycle", () => {
    const shared = { id: 1 };
    expect(canonicalJson({ x: shared, y: shared })).toBe('{"x":{"id":1},"y":{"id":1}}');
  });

  it.each<[string, unknown]>([
    ["NaN", { amount: Number.NaN }],
    ["Infinity", [Number.POSITIVE_INFINITY]],
    ["a bigint", { big: 10n }],
    ["a Map", { m: new Map([["a", 1]]) }],
    ["a Set", new Set([1])],
    ["undefined at the top", undefined],
  ])("throws on %s rather than hashing altered data", (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it("throws on a cycle", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });

  it("gives the same text whatever the key insertion order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(reverseKeys(value))).toBe(canonicalJson(value));
      }),
    );
  });

  it("carries the same data as JSON.stringify", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe("sha256Hex", () => {
  // Expected digests from `printf '<text>' | sha256sum`; "" and "abc" are the FIPS 180-2 vectors.
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["é", "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"],
  ])("hashes %j as UTF-8", (text, digest) => {
    expect(sha256Hex(text)).toBe(digest);
  });

  it("hashes the canonical form, so key order does not change the digest", () => {
    // printf '{"a":1,"b":[true,null]}' | sha256sum
    const digest = "1cc69c7fa23616ca2ec3ee70d24390a6225c8832db8a4c814c7e0e7f942f8668";
    expect(sha256Hex(canonicalJson({ b: [true, null], a: 1 }))).toBe(digest);
  });
});
