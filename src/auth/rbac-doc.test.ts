import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectRoutes, RBAC_DOC, renderRbacDoc } from "../../scripts/gen-rbac-doc.ts";
import { POLICY } from "./policy.ts";

describe("docs/rbac_matrix.md", () => {
  it("is what scripts/gen-rbac-doc.ts generates from the policy and the routes (regenerate it when this fails)", () => {
    const expected = renderRbacDoc(collectRoutes());
    const committed = readFileSync(RBAC_DOC, "utf8");
    expect(
      committed === expected,
      "docs/rbac_matrix.md is stale: run `node bin/run-ts.js scripts/gen-rbac-doc.ts` and commit it",
    ).toBe(true);
  });

  it("marks exactly the policy's permissions for each role", () => {
    const rows = readFileSync(RBAC_DOC, "utf8")
      .split("\n")
      .filter((l) => /^\| `[a-z_.]+` \|/.test(l));
    // customer, ops, analyst, admin are the last four cells of each row.
    for (const [i, role] of (["customer", "ops", "analyst", "admin"] as const).entries()) {
      const granted = rows.filter((l) => l.split("|").slice(-5, -1)[i]!.trim() === "yes").length;
      expect(granted, role).toBe(POLICY[role].length);
    }
    // Spot checks by hand: customers cannot see dashboards, analysts cannot manage users.
    expect(rows.find((l) => l.startsWith("| `dashboard.executive`"))).toMatch(/\| – \| – \| yes \| yes \|$/);
    expect(rows.find((l) => l.startsWith("| `users.manage`"))).toMatch(/\| – \| – \| – \| yes \|$/);
  });
});
