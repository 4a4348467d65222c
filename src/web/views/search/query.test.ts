import { describe, expect, it } from "vitest";
import { planSearch, searchQuerySchema } from "./query.ts";

describe("what a search query may mean", () => {
  it.each([
    ["cus_Q1w2E3", { stripeId: { prefix: "cus", id: "cus_Q1w2E3" }, orderNumber: null, words: null }],
    ["evt_1PqR_x", { stripeId: { prefix: "evt", id: "evt_1PqR_x" }, orderNumber: null, words: null }],
    ["RI-000042", { stripeId: null, orderNumber: "RI-000042", explicitOrderNumber: true, customerId: null }],
    ["ri-42", { orderNumber: "RI-000042", explicitOrderNumber: true }],
    ["42", { orderNumber: "RI-000042", explicitOrderNumber: false, customerId: 42, words: "42" }],
    ["RI-1234567", { orderNumber: "RI-1234567" }],
    ["ada@example", { stripeId: null, orderNumber: null, customerId: null, words: "ada@example" }],
    ["x_123", { stripeId: null, words: "x_123" }],
    ["cus_", { stripeId: null, words: "cus_" }],
    ["a", { words: null }],
    ["99999999999", { customerId: null }],
  ])("%s", (text, expected) => {
    expect(planSearch(text)).toMatchObject(expected);
  });

  it("trims the query and refuses an empty, overlong or control-character one, naming q", () => {
    expect(searchQuerySchema.parse({ q: "  mug  " })).toEqual({ q: "mug" });
    for (const q of ["   ", "a".repeat(201), "a\u0000b", "tab\there"])
      expect(searchQuerySchema.safeParse({ q }).error?.issues[0]?.path).toEqual(["q"]);
  });
});
