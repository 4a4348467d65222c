import type { JSX } from "hono/jsx/jsx-runtime";
import { describe, expect, it } from "vitest";
import { DisputesTable } from "./disputes-table.tsx";

const render = async (node: JSX.Element) => (await node).toString();

/** Rows as the finance pack's disputes.csv gives them to the ops dashboard. */
const ROWS = [
  {
    created_day: "2026-06-04",
    status: "warning_needs_response",
    reason: "fraudulent",
    amount: 3000,
    inquiry: true,
    lost_day: null,
  },
  {
    created_day: "2026-06-05",
    status: "lost",
    reason: "product_not_received",
    amount: 9000,
    inquiry: false,
    lost_day: "2026-06-20",
  },
];

describe("DisputesTable", () => {
  it("lists an inquiry as an inquiry and a chargeback with the day it was lost", async () => {
    const html = await render(<DisputesTable disputes={ROWS} currency="usd" />);
    const rows = html.split("<tr>").slice(2); // after the header row, newest first
    expect(rows[0]).toContain("chargeback");
    expect(rows[0]).toContain("20 Jun 2026");
    expect(rows[0]).toContain("$90.00");
    expect(rows[1]).toContain('<span class="badge inquiry">inquiry</span>');
    expect(rows[1]).toContain("warning needs response");
    expect(rows[1]).not.toContain("chargeback");
  });

  it("says so when the period has none", async () => {
    expect(await render(<DisputesTable disputes={[]} currency="usd" />)).toContain(
      "No disputes or inquiries",
    );
  });
});
