import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema.ts";

/**
 * The SQL rule of docs/style.md: SQL names a table through its Drizzle object (query builder, or
 * `${table}` in a `sql` template), never as text, so the snapshot tables' definitions are what the
 * queries read and a renamed table or column is a type error. This scans every string and template
 * text in src/ (tests excluded) for `FROM|JOIN|INTO|UPDATE <table>` with the table names of the schema.
 */

const root = join(import.meta.dirname, "../..");

/** Folders held to the rule with no exception (issue 18 item 6): an allow-list entry cannot cover them. */
const ENFORCED = ["src/analytics/", "src/payments/inbox/"];

/**
 * Files (or folders, ending in "/") allowed to name tables as text, each with its reason. None
 * today: every folder of src/ follows the rule. A file entry that no longer names a table fails.
 */
const ALLOWED: Record<string, string> = {};

const tableNames = Object.values(schema as Record<string, unknown>)
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table));

const pattern = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+"?(${tableNames.join("|")})"?(?![\\w"])`, "gi");

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** The text of every string literal and template piece of a file, with its line. */
function literalTexts(path: string): Array<{ line: number; text: string }> {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const texts: Array<{ line: number; text: string }> = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateLiteralToken(node)
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      texts.push({ line, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

function offences(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const path of sourceFiles(join(root, "src"))) {
    const file = relative(root, path).split("\\").join("/");
    for (const { line, text } of literalTexts(path)) {
      for (const match of text.matchAll(pattern)) {
        const list = found.get(file) ?? [];
        list.push(`${file}:${line} ${match[0].replace(/\s+/g, " ")}`);
        found.set(file, list);
      }
    }
  }
  return found;
}

const covers = (entry: string, file: string) =>
  entry.endsWith("/") ? file.startsWith(entry) : file === entry;
const allowed = (file: string) =>
  !ENFORCED.some((folder) => file.startsWith(folder)) &&
  Object.keys(ALLOWED).some((entry) => covers(entry, file));

describe("SQL names tables through the Drizzle schema (docs/style.md)", () => {
  const found = offences();

  it("reads the table names from the schema", () => {
    expect(tableNames).toEqual(expect.arrayContaining(["orders", "snap_daily_ledger", "stripe_events"]));
  });

  it("finds no table named as text outside the allow-list", () => {
    const outside = [...found].filter(([file]) => !allowed(file)).flatMap(([, hits]) => hits);
    expect(
      outside,
      "name the table through its Drizzle object (a sql template interpolating the table and its columns, or the query builder)",
    ).toEqual([]);
  });

  it("has no stale file entry in the allow-list", () => {
    const stale = Object.keys(ALLOWED).filter(
      (entry) => !entry.endsWith("/") && ![...found.keys()].some((file) => covers(entry, file)),
    );
    expect(stale, "these files no longer name tables as text: remove them from ALLOWED").toEqual([]);
  });
});
