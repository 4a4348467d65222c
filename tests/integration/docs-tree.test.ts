import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The docs describe the real tree: every file or folder they name exists, and README's layout lists
// exactly the folders of src/ (a move that forgets the docs fails here, not in a newcomer's head).
const root = join(import.meta.dirname, "..", "..");
const docs = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

function pathsNamedIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(
    /(?<![\w./-])((?:src|tests|bench|scripts|drizzle)\/[A-Za-z0-9_.\-/]*[A-Za-z0-9_/])/g,
  )) {
    const path = m[1]!;
    if (path.includes("*") || path.startsWith("bench/results/")) continue;
    found.add(path.replace(/\/$/, ""));
  }
  return [...found];
}

describe("docs match the tree", () => {
  it("names only files and folders that exist", () => {
    const missing: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(join(root, doc), "utf8");
      for (const path of pathsNamedIn(text))
        if (!existsSync(join(root, path))) missing.push(`${doc}: ${path}`);
    }
    expect(missing).toEqual([]);
  });

  it("lists every folder of src/ in README's layout, and no other", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.split(/^### Layout$/m)[1]?.split(/^#/m)[0] ?? "";
    const block = (section.split("```")[1] ?? "").split(/^tests\//m)[0]!;
    const listed = [...block.matchAll(/^ {2}([a-z-]+)\/\s/gm)].map((m) => m[1]!).sort();
    const folders = readdirSync(join(root, "src"))
      .filter((f) => statSync(join(root, "src", f)).isDirectory())
      .sort();
    expect(listed).toEqual(folders);
  });
});
