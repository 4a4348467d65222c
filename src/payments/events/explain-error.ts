/**
 * A failed event's stored error (`stripe_events.last_error`, already the root cause without echoed
 * values) in one sentence an operator can act on. The raw text stays available behind it; neither
 * holds personal data (the inbox scrubs values the database echoed back before storing).
 */
export interface ExplainedError {
  /** What went wrong, in plain words, and what to do. */
  summary: string;
  /** Which family of cause it is, for a badge and for tests. */
  kind:
    | "rule"
    | "missing_reference"
    | "duplicate"
    | "missing_value"
    | "bad_value"
    | "schema"
    | "conflict"
    | "payload"
    | "state"
    | "unknown";
}

/** Known database rules and what breaking them means for the business. */
const CONSTRAINTS: Record<string, string> = {
  orders_refund_bounds: "the order's refunded total would go below zero or above the order total",
  order_lines_restock_bounds: "more units would be restocked than the order line sold",
  order_lines_qty_positive: "an order line would have no units",
};

const RULES: Array<{ test: RegExp; explain: (m: RegExpExecArray) => ExplainedError }> = [
  {
    test: /violates check constraint "([^"]+)"/,
    explain: (m) => ({
      kind: "rule",
      summary: `Applying the event would break a rule the database enforces: ${CONSTRAINTS[m[1]!] ?? `rule "${m[1]}"`}. Nothing was changed. Compare the event with the records it refers to (often an earlier event is missing or was applied twice), fix the data, then replay.`,
    }),
  },
  {
    test: /violates foreign key constraint/,
    explain: () => ({
      kind: "missing_reference",
      summary:
        "The event refers to a record we do not have yet (it probably arrived before the event that creates it). Replay it once that event is processed, or run `revintel stripe sync` to fetch what is missing.",
    }),
  },
  {
    test: /duplicate key value violates unique constraint/,
    explain: () => ({
      kind: "duplicate",
      summary:
        "A record with the same key already exists, so the event could not add its own. Usually a concurrent delivery already applied it: replay the event, it is safe.",
    }),
  },
  {
    test: /violates not-null constraint/,
    explain: () => ({
      kind: "missing_value",
      summary:
        "A value the record needs is empty in the event. Check the event's API version against the supported ones, then replay.",
    }),
  },
  {
    test: /invalid input syntax|out of range|value too long|invalid byte sequence/,
    explain: () => ({
      kind: "bad_value",
      summary:
        "The event holds a value the database cannot store (wrong type, too long or too large). Check the payload below; report it if Stripe sent it this way.",
    }),
  },
  {
    test: /(relation|column|table) .* does not exist/,
    explain: () => ({
      kind: "schema",
      summary:
        "The database is behind this release (a table or column is missing). Run `revintel migrate`, then replay.",
    }),
  },
  {
    test: /could not serialize|deadlock detected|lock timeout|canceling statement/,
    explain: () => ({
      kind: "conflict",
      summary: "The event collided with another change at the same moment. Replaying it is safe.",
    }),
  },
  {
    test: /has no \w+|is not an object|has no id/,
    explain: () => ({
      kind: "payload",
      summary:
        "Stripe's payload lacks a field we need, so it is not a shape we read (check the event's API version). Fix the endpoint's API version in Stripe, then replay.",
    }),
  },
  {
    test: /cannot (go|move) from|invalid transition|not (paid|pending|open)/i,
    explain: () => ({
      kind: "state",
      summary:
        "The record the event changes is not in a state that allows this change (e.g. an order already canceled). Read the record's history below before replaying.",
    }),
  },
  {
    test: /not found|no such|unknown/i,
    explain: () => ({
      kind: "missing_reference",
      summary:
        "The event refers to something we do not know. Run `revintel stripe sync` to fetch it, then replay.",
    }),
  },
];

export function explainEventError(lastError: string | null): ExplainedError | null {
  if (!lastError) return null;
  for (const rule of RULES) {
    const m = rule.test.exec(lastError);
    if (m) return rule.explain(m);
  }
  return {
    kind: "unknown",
    summary:
      "The handler stopped with an unexpected error (technical message below). Fix its cause, then replay.",
  };
}
