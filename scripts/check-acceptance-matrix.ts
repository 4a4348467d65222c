// Fails when docs/acceptance_matrix.md references a file or test that no longer exists, or when
// README's feature list and the matrix's claims differ. Run: node bin/run-ts.js scripts/check-acceptance-matrix.ts
import { existsSync, readFileSync } from "node:fs";

export interface MatrixRow {
  claim: string;
  code: string[];
  tests: Array<{ file: string; name: string }>;
  demo: string;
}

export function parseMatrix(markdown: string): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|") || /^\|\s*-/.test(line) || /^\|\s*Claim\s*\|/i.test(line)) continue;
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length < 4) continue;
    const [claim, code, test, demo] = cells as [string, string, string, string];
    rows.push({
      claim,
      code: [...code.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/[#:].*$/, "")),
      tests: [...test.matchAll(/`([^`]+\.test\.tsx?)`\s*(?:›|>)\s*"([^"]+)"/g)].map((m) => ({
        file: m[1]!,
        name: m[2]!,
      })),
      demo,
    });
  }
  return rows;
}

export function readmeFeatures(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith("Features"));
  if (!section) return [];
  return [...section.matchAll(/^- (.+)$/gm)].map((m) => m[1]!.trim());
}

export function problems(root = "."): string[] {
  const found: string[] = [];
  const matrix = parseMatrix(readFileSync(`${root}/docs/acceptance_matrix.md`, "utf8"));
  if (matrix.length === 0) found.push("docs/acceptance_matrix.md has no rows");
  for (const row of matrix) {
    if (row.code.length === 0) found.push(`"${row.claim}": no code path`);
    if (row.tests.length === 0)
      found.push(`"${row.claim}": no test (format: \`file.test.ts\` › "test name")`);
    if (!row.demo) found.push(`"${row.claim}": no demo step`);
    for (const path of row.code)
      if (!existsSync(`${root}/${path}`)) found.push(`"${row.claim}": code path ${path} does not exist`);
    for (const t of row.tests) {
      const file = `${root}/${t.file}`;
      if (!existsSync(file)) found.push(`"${row.claim}": test file ${t.file} does not exist`);
      else if (!readFileSync(file, "utf8").includes(t.name))
        found.push(`"${row.claim}": test "${t.name}" not found in ${t.file}`);
    }
  }
  const claims = new Set(matrix.map((r) => r.claim));
  const features = readmeFeatures(readFileSync(`${root}/README.md`, "utf8"));
  for (const f of features) if (!claims.has(f)) found.push(`README feature not in the matrix: "${f}"`);
  for (const c of claims)
    if (!features.includes(c)) found.push(`matrix claim missing from README's Features: "${c}"`);
  return found;
}

const isMain = process.argv[1]?.endsWith("check-acceptance-matrix.ts");
if (isMain) {
  const found = problems();
  if (found.length) {
    for (const p of found) console.log(`acceptance matrix: ${p}`);
    process.exit(1);
  }
  console.log(
    `acceptance matrix: ${parseMatrix(readFileSync("docs/acceptance_matrix.md", "utf8")).length} claims, every code path and test exists`,
  );
}
