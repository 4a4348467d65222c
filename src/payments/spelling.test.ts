import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
// Built from parts so this file does not contain the word it looks for.
const DOUBLE_L = new RegExp(["cance", "lled"].join(""), "i");
/** Code whose job is to detect the legacy spelling (data-quality checks) may name it. */
const DETECTORS = /(^|\/)(monitoring|checks?)\//;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe("canonical spelling", () => {
  it("the pattern catches the double-l spelling in any case, not the canonical one", () => {
    expect(DOUBLE_L.test(`status: "${["Cance", "lled"].join("")}"`)).toBe(true);
    expect(DOUBLE_L.test('status: "canceled"')).toBe(false);
  });

  it("src/ uses 'canceled' (one l) outside migrations and the code that detects the other spelling", () => {
    const offenders = files(ROOT)
      .map((path) => relative(ROOT, path))
      .filter((path) => /\.(ts|tsx|md|sql|css|js)$/.test(path) && !path.includes("migrations"))
      .filter((path) => !DETECTORS.test(path))
      .filter((path) => {
        const text = readFileSync(join(ROOT, path), "utf8");
        return DOUBLE_L.test(text) && !/detect|legacy spelling/i.test(text);
      });
    expect(offenders).toEqual([]);
  });
});
