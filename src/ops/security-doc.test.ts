import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deployChecks } from "../config/check-deploy.ts";

const doc = readFileSync(join(import.meta.dirname, "../../docs/security.md"), "utf8");

describe("docs/security.md", () => {
  it("documents every check that check-deploy runs, in either payments mode", () => {
    const names = new Set([
      ...deployChecks({ PAYMENTS_MODE: "offline" }, 0).map((c) => c.name),
      ...deployChecks({ PAYMENTS_MODE: "stripe" }, 0).map((c) => c.name),
    ]);
    // environment, NODE_ENV, SESSION_SECRET, BASE_URL, PAYMENTS_MODE, Stripe keys, DATABASE_URL, demo users, cookies
    expect(names.size).toBe(9);
    const table = doc.slice(doc.indexOf("## Production checklist"));
    for (const name of names)
      expect(table, `check "${name}" is not in the checklist table`).toContain(`| \`${name}\``);
  });
});
