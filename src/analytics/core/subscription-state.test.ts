import { describe, expect, it } from "vitest";
import { compareHistory, type SubscriptionHistoryRow, stateAt } from "./subscription-state.ts";

interface Row extends SubscriptionHistoryRow {
  status: string;
}

let seq = 0;
function row(created: string, overrides: Partial<Row> = {}): Row {
  seq += 1;
  return {
    eventCreated: new Date(created),
    receivedSeq: seq,
    currentPeriodStart: new Date("2026-01-01T00:00:00Z"),
    canceledAt: null,
    endedAt: null,
    status: "active",
    ...overrides,
  };
}

describe("stateAt", () => {
  it("is null with no rows, or none at or before the instant", () => {
    expect(stateAt([], new Date("2026-02-01T00:00:00Z"))).toBeNull();
    const rows = [row("2026-02-01T00:00:01Z")];
    expect(stateAt(rows, new Date("2026-02-01T00:00:00Z"))).toBeNull();
  });

  it("returns the latest row created at or before the instant, including one exactly at it", () => {
    const trialing = row("2026-01-01T10:00:00Z", { status: "trialing" });
    const active = row("2026-01-15T10:00:00Z", { status: "active" });
    const canceled = row("2026-02-10T10:00:00Z", { status: "canceled" });
    const rows = [trialing, active, canceled];
    expect(stateAt(rows, new Date("2026-01-10T00:00:00Z"))).toBe(trialing);
    expect(stateAt(rows, new Date("2026-01-15T10:00:00Z"))).toBe(active);
    expect(stateAt(rows, new Date("2026-02-01T00:00:00Z"))).toBe(active);
    expect(stateAt(rows, new Date("2026-03-01T00:00:00Z"))).toBe(canceled);
  });

  it("orders by event created, not by arrival, when events arrive out of order", () => {
    // Received: canceled (seq 10) first, then the older past_due event (seq 11).
    const canceled = row("2026-01-20T00:00:00Z", { status: "canceled", receivedSeq: 10 });
    const pastDue = row("2026-01-18T00:00:00Z", { status: "past_due", receivedSeq: 11 });
    const rows = [canceled, pastDue];
    expect(stateAt(rows, new Date("2026-01-19T00:00:00Z"))).toBe(pastDue);
    expect(stateAt(rows, new Date("2026-01-31T00:00:00Z"))).toBe(canceled);
  });

  it("within one second prefers the higher current_period_start, whatever the arrival order", () => {
    const renewed = row("2026-02-01T00:00:00Z", {
      currentPeriodStart: new Date("2026-02-01T00:00:00Z"),
      receivedSeq: 20,
    });
    const stale = row("2026-02-01T00:00:00Z", {
      currentPeriodStart: new Date("2026-01-01T00:00:00Z"),
      status: "past_due",
      receivedSeq: 21,
    });
    expect(stateAt([renewed, stale], new Date("2026-02-02T00:00:00Z"))).toBe(renewed);
  });

  it("treats milliseconds inside the same second as a tie", () => {
    const later = row("2026-02-01T00:00:00.000Z", {
      endedAt: new Date("2026-02-01T00:00:00Z"),
      receivedSeq: 1,
    });
    const earlier = row("2026-02-01T00:00:00.900Z", { receivedSeq: 2 });
    expect(stateAt([later, earlier], new Date("2026-02-02T00:00:00Z"))).toBe(later);
  });

  it("within one second prefers canceled over neither, and ended over canceled", () => {
    const at = "2026-02-01T12:00:00Z";
    const ended = row(at, {
      endedAt: new Date(at),
      canceledAt: new Date(at),
      status: "canceled",
      receivedSeq: 30,
    });
    const canceled = row(at, { canceledAt: new Date(at), receivedSeq: 31 });
    const plain = row(at, { receivedSeq: 32 });
    const instant = new Date("2026-02-02T00:00:00Z");
    expect(stateAt([canceled, plain], instant)).toBe(canceled);
    expect(stateAt([plain, canceled, ended], instant)).toBe(ended);
  });

  it("within one second falls back to the row received last", () => {
    const first = row("2026-02-01T12:00:00Z", { status: "past_due", receivedSeq: 40 });
    const second = row("2026-02-01T12:00:00Z", { status: "active", receivedSeq: 41 });
    expect(stateAt([second, first], new Date("2026-02-02T00:00:00Z"))).toBe(second);
  });
});

describe("compareHistory", () => {
  it("checks current_period_start before the cancellation fields", () => {
    const at = "2026-03-01T00:00:00Z";
    const canceledOldPeriod = row(at, {
      canceledAt: new Date(at),
      currentPeriodStart: new Date("2026-02-01T00:00:00Z"),
    });
    const newPeriod = row(at, { currentPeriodStart: new Date("2026-03-01T00:00:00Z") });
    expect(compareHistory(newPeriod, canceledOldPeriod)).toBeGreaterThan(0);
  });

  it("puts a missing current_period_start before a present one", () => {
    const at = "2026-03-01T00:00:00Z";
    const missing = row(at, { currentPeriodStart: null, receivedSeq: 2 });
    const present = row(at, { receivedSeq: 1 });
    expect(compareHistory(missing, present)).toBeLessThan(0);
  });

  it("sorts a shuffled history into history order and is antisymmetric", () => {
    const a = row("2026-01-01T00:00:00Z", { receivedSeq: 5 });
    const b = row("2026-01-02T00:00:00Z", { receivedSeq: 3 });
    const c = row("2026-01-02T00:00:00Z", { receivedSeq: 4 });
    const d = row("2026-01-02T00:00:00Z", { canceledAt: new Date("2026-01-02T00:00:00Z"), receivedSeq: 1 });
    expect([d, c, a, b].sort(compareHistory)).toEqual([a, b, c, d]);
    expect(Math.sign(compareHistory(b, c))).toBe(-Math.sign(compareHistory(c, b)));
    expect(compareHistory(a, a)).toBe(0);
  });
});
