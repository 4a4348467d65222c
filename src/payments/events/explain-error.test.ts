import { describe, expect, it } from "vitest";
import { explainEventError } from "./explain-error.ts";

describe("explainEventError (a stored handler error in plain words for ops)", () => {
  it.each([
    [
      'new row for relation "orders" violates check constraint "orders_refund_bounds"',
      "rule",
      "refunded total would go below zero",
    ],
    [
      'insert or update on table "refunds" violates foreign key constraint "refunds_charge_fk"',
      "missing_reference",
      "refers to a record we do not have yet",
    ],
    ['duplicate key value violates unique constraint "charges_pkey"', "duplicate", "same key already exists"],
    [
      'null value in column "currency" of relation "charges" violates not-null constraint',
      "missing_value",
      "is empty in the event",
    ],
    ["22P02: invalid input syntax for type integer: [not logged]", "bad_value", "cannot store"],
    ['42P01: relation "charges" does not exist', "schema", "revintel migrate"],
    ["could not serialize access due to concurrent update", "conflict", "Replaying it is safe"],
    ["charge ch_123 has no amount", "payload", "lacks a field we need"],
    ["Order RI-000012 cannot go from canceled to paid", "state", "not in a state that allows"],
    ["Stripe event evt_1 not found", "missing_reference", "revintel stripe sync"],
    ["something odd happened", "unknown", "unexpected error"],
  ])("%s → %s", (raw, kind, words) => {
    const explained = explainEventError(raw);
    expect(explained?.kind).toBe(kind);
    expect(explained?.summary).toContain(words);
    // The sentence is ours: it never repeats the database's text.
    expect(explained?.summary).not.toContain(raw);
  });

  it("has nothing to say about an event with no error", () => {
    expect(explainEventError(null)).toBeNull();
    expect(explainEventError("")).toBeNull();
  });
});
