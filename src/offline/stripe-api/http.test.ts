import { describe, expect, it } from "vitest";
import { FakeStripeError, parseStripeParams } from "./http.ts";

const parse = (query: string) => parseStripeParams(new URLSearchParams(query));

describe("parseStripeParams", () => {
  it.each([
    ["limit=3&created[gte]=5", { limit: "3", created: { gte: "5" } }],
    ["metadata[order_id]=7&metadata[note]=a%20b", { metadata: { order_id: "7", note: "a b" } }],
    ["expand[]=data.customer&expand[]=data.invoice", { expand: ["data.customer", "data.invoice"] }],
    ["types[0]=a&types[1]=b", { types: ["a", "b"] }],
    [
      "line_items[1][quantity]=1&line_items[0][price_data][product_data][name]=Tea&line_items[0][quantity]=2",
      { line_items: [{ price_data: { product_data: { name: "Tea" } }, quantity: "2" }, { quantity: "1" }] },
    ],
    ["line_items%5B0%5D%5Bprice%5D=price_1", { line_items: [{ price: "price_1" }] }],
  ])("reads %s", (query, expected) => {
    expect(parse(query)).toEqual(expected);
  });

  it("rejects a key that is both a value and a hash, as Stripe does", () => {
    expect(() => parse("metadata=x&metadata[a]=1")).toThrow(FakeStripeError);
    expect(() => parse("a]b=1")).toThrow(/Invalid parameter name/);
  });
});

describe("FakeStripeError", () => {
  it("answers in Stripe's error envelope", () => {
    const error = new FakeStripeError(
      400,
      "invalid_request_error",
      "No such charge: 'ch_1'",
      "resource_missing",
      "charge",
    );
    expect(error.body("req_1")).toEqual({
      error: {
        type: "invalid_request_error",
        message: "No such charge: 'ch_1'",
        code: "resource_missing",
        doc_url: "https://stripe.com/docs/error-codes/resource-missing",
        param: "charge",
        request_log_url: "https://dashboard.stripe.com/test/logs/req_1",
      },
    });
  });
});
