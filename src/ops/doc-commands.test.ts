import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../cli/main.ts";

const root = join(import.meta.dirname, "../..");
const files = [
  ...(existsSync(join(root, "README.md")) ? ["README.md"] : []),
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/**
 * Every `revintel …` / `node bin/revintel.js …` invocation in README and docs: the command path and the
 * flags it uses. The bare form counts only at the start of a line or right after a backtick or `npx`.
 */
function documentedInvocations(text: string): Array<{ words: string[]; flags: string[]; line: string }> {
  const found: Array<{ words: string[]; flags: string[]; line: string }> = [];
  for (const line of text.split("\n")) {
    for (const m of line.matchAll(/(?:bin\/revintel\.js|(?:^|`|npx )\s*revintel)((?: +[^\s`|#]+)*)/g)) {
      const tokens = m[1]!.trim().split(/ +/).filter(Boolean);
      const words: string[] = [];
      for (const t of tokens) {
        if (!/^[a-z][a-z-]*$/.test(t)) break;
        words.push(t);
      }
      const flags = tokens.filter((t) => /^--[a-z][a-z-]*$/.test(t));
      if (words.length > 0 || flags.length > 0) found.push({ words, flags, line: line.trim() });
    }
  }
  return found;
}

function resolve(program: Command, words: string[]): { command: Command; rest: string[] } | null {
  if (words.length === 0) return { command: program, rest: [] };
  let command = program;
  let i = 0;
  for (; i < words.length; i++) {
    const next = command.commands.find((c) => c.name() === words[i]);
    if (!next) break;
    command = next;
  }
  return command === program ? null : { command, rest: words.slice(i) };
}

const program = await buildProgram();

describe("commands written in README and docs", () => {
  const cases = files.flatMap((file) =>
    documentedInvocations(readFileSync(join(root, file), "utf8")).map((inv) => ({ file, ...inv })),
  );

  it("finds the documented invocations (the scan itself works)", () => {
    expect(documentedInvocations("run `revintel backup --out FILE` then")).toEqual([
      { words: ["backup"], flags: ["--out"], line: "run `revintel backup --out FILE` then" },
    ]);
    expect(cases.length).toBeGreaterThan(10);
  });

  it("name commands and flags that exist", () => {
    const problems: string[] = [];
    for (const c of cases) {
      const hit = resolve(program, c.words);
      if (!hit) {
        problems.push(`${c.file}: unknown command "revintel ${c.words.join(" ")}" in: ${c.line}`);
        continue;
      }
      if (hit.rest.length > 0 && hit.command.commands.length > 0)
        problems.push(`${c.file}: "${hit.command.name()}" has no subcommand "${hit.rest[0]}": ${c.line}`);
      const known = new Set(["--help", ...hit.command.options.map((o) => o.long)]);
      for (const flag of c.flags)
        if (!known.has(flag))
          problems.push(`${c.file}: "revintel ${c.words.join(" ")}" has no ${flag}: ${c.line}`);
    }
    expect(problems).toEqual([]);
  });
});
