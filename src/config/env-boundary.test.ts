import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("configuration boundary", () => {
  it("no production file outside src/config/ reads process.env: config is parsed once and passed down", () => {
    const offenders = sourceFiles(SRC)
      .map((file) => relative(SRC, file).split("\\").join("/"))
      .filter((file) => !file.startsWith("config/"))
      .filter((file) => readFileSync(join(SRC, file), "utf8").includes("process.env"));
    expect(offenders).toEqual([]);
  });
});
