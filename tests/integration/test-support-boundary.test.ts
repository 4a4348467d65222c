import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

// Test code lives in tests/ (support) and beside the code as *.test.ts(x); nothing in src/ that ships
// may reach it. A production import of test support fails here, as does a test-support-looking file
// left in src/.
const root = join(import.meta.dirname, "..", "..");

const isTestFile = (path: string) => /\.test\.tsx?$/.test(path);
/** testing*.ts, test-*.ts, anything named *fixture*, and test frameworks imported by shipped code. */
const supportName = /(^|\/)(testing[^/]*\.[cm]?[jt]sx?|test[-_][^/]*|[^/]*fixtures?[^/]*)$/i;
const testPackages = new Set(["vitest", "fast-check", "@playwright/test", "playwright-core"]);

/** Every path under src/ (relative to the repository root, "/" separators) → its text, or null for a folder. */
function srcTree(): Map<string, string | null> {
  const tree = new Map<string, string | null>();
  for (const e of readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })) {
    const full = join(e.parentPath, e.name);
    tree.set(relative(root, full).split(sep).join("/"), e.isDirectory() ? null : readFileSync(full, "utf8"));
  }
  return tree;
}

/** What is wrong with a tree: `files` maps each src/ path (relative to the root) to its text, or null for a folder. */
function violations(files: Map<string, string | null>): string[] {
  const found: string[] = [];
  for (const [path, text] of files) {
    if (isTestFile(path)) continue;
    if (supportName.test(path)) found.push(`${path}: test support belongs in tests/support`);
    if (text === null || !/\.[cm]?[jt]sx?$/.test(path)) continue;
    for (const m of text.matchAll(
      /\b(?:from|import)\s*\(?\s*["']([^"']+)["']|\bimport\s+["']([^"']+)["']/g,
    )) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith(".")) {
        const target = resolve(root, dirname(path), spec);
        const rel = relative(root, target).split(sep).join("/");
        if (rel.startsWith("tests/") || rel === "tests" || rel.startsWith("bench/") || isTestFile(rel))
          found.push(`${path} imports ${spec}`);
      } else {
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (testPackages.has(name)) found.push(`${path} imports ${name}`);
      }
    }
  }
  return found;
}

describe("test support stays out of src/", () => {
  it("no shipped file in src/ imports tests/, a *.test.ts file or a test framework, and none looks like test support", () => {
    const files = srcTree();
    expect(files.size).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it("the check itself catches each kind of leak", () => {
    // Specifiers are built, not written out, so that tools rewriting import paths leave them alone.
    const support = ["..", "..", "tests", "support"].join("/");
    const tree = new Map<string, string | null>([
      ["src/orders/service.ts", `import { makeOrder } from "${support}/builders/orders.ts";`],
      ["src/orders/lazy.ts", `const m = await import("${support}/context.ts");`],
      ["src/orders/reuse.ts", 'export { helper } from "./service.test.ts";'],
      ["src/orders/expect.ts", 'import { expect } from "vitest";'],
      ["src/orders/testing.ts", "export const x = 1;"],
      ["src/orders/test-helpers.ts", "export const y = 2;"],
      ["src/analytics/fixtures", null],
      ["src/orders/ok.ts", 'import { x } from "./model.ts";\nimport { z } from "zod";'],
      ["src/orders/ok.test.ts", `import { makeOrder } from "${support}/builders/orders.ts";`],
    ]);
    expect(violations(tree)).toEqual([
      `src/orders/service.ts imports ${support}/builders/orders.ts`,
      `src/orders/lazy.ts imports ${support}/context.ts`,
      "src/orders/reuse.ts imports ./service.test.ts",
      "src/orders/expect.ts imports vitest",
      "src/orders/testing.ts: test support belongs in tests/support",
      "src/orders/test-helpers.ts: test support belongs in tests/support",
      "src/analytics/fixtures: test support belongs in tests/support",
    ]);
  });
});
