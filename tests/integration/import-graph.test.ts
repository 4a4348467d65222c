import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The layering rules of docs/style.md ("Layers and imports"), checked over the import graph of
// every shipped file in src/ (tests excluded):
//  1. no import cycle between top-level folders (domains and layers);
//  2. src/context.ts, where contexts are made and wired, is imported by a domain for its types only;
//  3. another folder reaches audit/, auth/, catalog/, customers/, monitoring/, offline/ and
//     subscriptions/ through their index.ts (tables through schema.ts); the others follow as they are touched.
// A folder's tables (any schema.ts) are a node of their own: db/schema.ts gathers every domain's
// tables for the client's types, so counting them as the domain would make db and every domain a loop.
// Type-only imports (`import type`, `export type`) are erased by the compiler and load nothing, so
// rule 1 follows the imports that run.
const root = join(import.meta.dirname, "..", "..");

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Cycles that are known and have an owner; each names why. The test fails when one is gone, too. */
const KNOWN_CYCLES: Array<{ nodes: string[]; why: string }> = [];

/** The folders reached through index.ts (and schema.ts for tables) from anywhere else. */
const INDEX_ONLY = new Set([
  "audit",
  "auth",
  "catalog",
  "customers",
  "monitoring",
  "offline",
  "subscriptions",
]);

/** Every shipped source file under src/: path relative to the root ("/" separators) → text. */
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !/\.tsx?$/.test(e.name) || /\.test\.tsx?$/.test(e.name)) continue;
    const full = join(e.parentPath, e.name);
    files.set(relative(root, full).split(sep).join("/"), readFileSync(full, "utf8"));
  }
  return files;
}

/** The relative imports of each file (static, re-exports, dynamic), marking the type-only ones. */
function edgesOf(files: Map<string, string>): Edge[] {
  const edges: Edge[] = [];
  for (const [path, text] of files) {
    const add = (spec: string, typeOnly: boolean) => {
      if (!spec.startsWith(".")) return;
      const to = relative(root, resolve(root, dirname(path), spec))
        .split(sep)
        .join("/");
      edges.push({ from: path, to, typeOnly });
    };
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node.importClause?.isTypeOnly === true);
      } else if (
        ts.isExportDeclaration(node) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        add(node.moduleSpecifier.text, node.isTypeOnly);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text, false);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return edges;
}

/** The graph node of a file: its top-level folder under src/, or "<folder>/schema" for its tables. */
function nodeOf(path: string): string {
  const parts = path.replace(/^src\//, "").split("/");
  if (parts.length === 1) return parts[0]!;
  return /^schema\.tsx?$/.test(parts.at(-1)!) ? `${parts[0]}/schema` : parts[0]!;
}

/** Strongly connected components of more than one node (Tarjan), each sorted, with a few edges each way. */
function cycles(edges: Edge[]): Array<{ nodes: string[]; edges: string[] }> {
  const adj = new Map<string, Map<string, string[]>>();
  for (const e of edges) {
    if (e.typeOnly) continue;
    const a = nodeOf(e.from);
    const b = nodeOf(e.to);
    if (a === b || a === "context.ts") continue;
    if (!adj.has(a)) adj.set(a, new Map());
    const out = adj.get(a)!;
    out.set(b, [...(out.get(b) ?? []), `${e.from} → ${e.to}`]);
    if (!adj.has(b)) adj.set(b, new Map());
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: Array<{ nodes: string[]; edges: string[] }> = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of adj.get(v)!.keys()) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length < 2) return;
    const inside = new Set(component);
    const sample: string[] = [];
    for (const a of component)
      for (const [b, via] of adj.get(a)!)
        if (inside.has(b)) sample.push(`${a} → ${b}: ${via.slice(0, 3).join(", ")}`);
    found.push({ nodes: component.sort(), edges: sample.sort() });
  };
  for (const v of [...adj.keys()].sort()) if (!index.has(v)) connect(v);
  return found;
}

/** Everything the rules find wrong in a tree of shipped files. */
function violations(files: Map<string, string>): string[] {
  const edges = edgesOf(files);
  const found: string[] = [];
  const known = new Set(KNOWN_CYCLES.map((c) => c.nodes.join(" ⇄ ")));
  const seen = new Set<string>();
  for (const cycle of cycles(edges)) {
    const key = cycle.nodes.join(" ⇄ ");
    seen.add(key);
    if (!known.has(key)) found.push(`import cycle ${key}\n    ${cycle.edges.join("\n    ")}`);
  }
  for (const c of KNOWN_CYCLES) {
    const key = c.nodes.join(" ⇄ ");
    if (!seen.has(key) && files.size > 100)
      found.push(`known cycle ${key} is gone: remove it from KNOWN_CYCLES`);
  }
  for (const e of edges) {
    const from = nodeOf(e.from);
    const to = nodeOf(e.to);
    if (e.to === "src/context.ts" && !e.typeOnly && !["cli", "web", "context.ts"].includes(from))
      found.push(
        `${e.from} imports values from src/context.ts (domains take a context; they do not make one)`,
      );
    const folder = to.split("/")[0]!;
    if (INDEX_ONLY.has(folder) && from.split("/")[0] !== folder && from !== "context.ts") {
      const inside = e.to.slice(`src/${folder}/`.length);
      if (inside !== "index.ts" && !/(^|\/)schema\.ts$/.test(inside))
        found.push(`${e.from} imports ${e.to}: go through src/${folder}/index.ts`);
    }
  }
  return found;
}

/** An import line, built at run time so that tools rewriting import paths leave the fixtures alone. */
const line = (what: string, spec: string) => `import ${what} ${"from"} "${spec}";`;

describe("import graph of src/", () => {
  it("has no import cycle between folders, no value import of the context by a domain, no reach into closed folders", () => {
    expect(violations(sources())).toEqual([]);
  });

  it("the check catches a cycle, a context made inside a domain and a reach past index.ts", () => {
    const tree = new Map<string, string>([
      ["src/orders/index.ts", line("{ findCustomer }", "../customers/index.ts")],
      ["src/customers/index.ts", line("{ orderTotal }", "../orders/index.ts")],
      ["src/catalog/stock.ts", line("{ createContext }", "../context.ts")],
      ["src/payments/sync.ts", line("{ upsertSubscription }", "../subscriptions/upsert.ts")],
      ["src/subscriptions/upsert.ts", line("type { Db }", "../db/client.ts")],
      ["src/db/schema.ts", line("*", "../orders/schema.ts")],
      ["src/orders/schema.ts", ""],
      ["src/db/client.ts", line("* as schema", "./schema.ts")],
      ["src/audit/service.ts", line("type { Ctx }", "../customers/index.ts")],
      ["src/customers/service.ts", line("type { Actor }", "../audit/index.ts")],
    ]);
    const found = violations(tree);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^import cycle customers ⇄ orders\n/);
    expect(found[0]).toContain("src/customers/index.ts → src/orders/index.ts");
    expect(found[1]).toBe(
      "src/catalog/stock.ts imports values from src/context.ts (domains take a context; they do not make one)",
    );
    expect(found[2]).toBe(
      "src/payments/sync.ts imports src/subscriptions/upsert.ts: go through src/subscriptions/index.ts",
    );
  });
});
