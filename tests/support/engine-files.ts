import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * Which test files can answer differently on PostgreSQL than on the embedded database: those that
 * reach the test database helpers (`tests/support/db.ts`, the Postgres template) through their
 * imports, or read `TEST_DATABASE_URL` themselves. The PostgreSQL run takes only these; every other
 * file (pure functions, the CLI on its own embedded data directory, HTML views) would run the same
 * code twice for the same answer.
 */
/**
 * Test files that replace a module (`vi.mock`): they run with a module graph of their own, every
 * other file shares its worker's loaded modules with the files before it (vitest.config.ts).
 */
export const OWN_MODULE_FILES: readonly string[] = [
  "src/auth/login-throttle.test.ts",
  "src/auth/login-timing.test.ts",
  "src/web/routes/audit-export-failure.test.ts",
];

const ENGINE_HELPERS = ["tests/support/db.ts", "tests/support/postgres-template.ts"];
const ENGINE_MENTION = /TEST_DATABASE_URL|\bonPostgres\b/;
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function isTestCode(root: string, file: string): boolean {
  const path = relative(root, file);
  return path.startsWith("tests/") || /\.test\.tsx?$/.test(path);
}

export function engineDependentFiles(root: string, testFiles: readonly string[]): string[] {
  // The import graph of everything the test files reach, then every file that reaches an engine file.
  const importers = new Map<string, string[]>();
  const engine = new Set(ENGINE_HELPERS.map((file) => resolve(root, file)));
  const seen = new Set<string>();
  const queue = testFiles.map((file) => resolve(root, file));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    // Production code never imports test support (a test enforces it) and never picks the engine.
    if (!isTestCode(root, file)) continue;
    const text = readFileSync(file, "utf8");
    if (ENGINE_MENTION.test(text)) engine.add(file);
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const target = resolveImport(file, match[1] as string);
      if (!target || target.includes("/node_modules/")) continue;
      importers.set(target, [...(importers.get(target) ?? []), file]);
      queue.push(target);
    }
  }
  const reached = new Set<string>();
  const stack = [...engine];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    stack.push(...(importers.get(file) ?? []));
  }
  return testFiles.filter((file) => reached.has(resolve(root, file)));
}

/** Test files under `dirs` (relative to root) whose names end in one of `suffixes`. */
export function listTestFiles(root: string, dirs: readonly string[], suffixes: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) out.push(relative(root, path));
    }
  };
  for (const dir of dirs) if (existsSync(resolve(root, dir))) walk(resolve(root, dir));
  return out.sort();
}
