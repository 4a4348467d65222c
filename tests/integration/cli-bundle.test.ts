import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript beside the CLI's launcher, without type declarations.
import { cliBundle } from "../../bin/cli-bundle.js";

const bundleOf = cliBundle as (root: string) => Promise<string | null>;

/** A project of two modules laid out as ours is: the entry at src/cli/main.ts. */
const root = mkdtempSync(join(tmpdir(), "revintel-bundle-"));
const entry = join(root, "src/cli/main.ts");
const valueFile = join(root, "src/shared/value.ts");
mkdirSync(join(root, "src/cli"), { recursive: true });
mkdirSync(join(root, "src/shared"), { recursive: true });
mkdirSync(join(root, "node_modules"));
writeFileSync(
  entry,
  `import { value } from "../shared/value.ts";
export const here: string = import.meta.url;
export const folder: string = import.meta.dirname;
export async function main(): Promise<number> { return value; }
`,
);
const setValue = (v: string) => writeFileSync(valueFile, `export const value: number = ${v};\n`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const load = async (bundle: string | null) => {
  expect(bundle).not.toBeNull();
  return import(`${pathToFileURL(bundle!).href}?t=${Date.now()}`) as Promise<{
    main: () => Promise<number>;
    here: string;
    folder: string;
  }>;
};

describe("the CLI's bundle of its sources", () => {
  it("runs the sources as they are on disk: reused while unchanged, rebuilt after an edit", async () => {
    setValue("1");
    const first = await bundleOf(root);
    const cli = await load(first);
    expect(await cli.main()).toBe(1);
    // A module's own location is the source file's, not the bundle's (paths read relative to it).
    expect(cli.here).toBe(pathToFileURL(entry).href);
    expect(cli.folder).toBe(join(root, "src/cli"));

    const manifest = join(root, "node_modules/.cache/revintel-cli/manifest.json");
    const builtAt = statSync(manifest).mtimeMs;
    expect(await bundleOf(root)).toBe(first);
    expect(statSync(manifest).mtimeMs).toBe(builtAt);

    // An edit to a module the entry imports (same length, so only the content tells).
    setValue("2");
    const second = await bundleOf(root);
    expect(second).not.toBe(first);
    expect(await (await load(second)).main()).toBe(2);
    expect(JSON.parse(readFileSync(manifest, "utf8")).inputs).toEqual([
      "src/cli/main.ts",
      "src/shared/value.ts",
    ]);
  });

  it("gives no bundle when the sources do not compile or the cache cannot be written (tsx runs them)", async () => {
    setValue("3 +");
    expect(await bundleOf(root)).toBeNull();
    setValue("4");
    rmSync(join(root, "node_modules"), { recursive: true, force: true });
    // Not a folder: nothing can be cached under it (file permissions do not stop root).
    writeFileSync(join(root, "node_modules"), "");
    expect(await bundleOf(root)).toBeNull();
    rmSync(join(root, "node_modules"));
    mkdirSync(join(root, "node_modules"));
    expect(await (await load(await bundleOf(root))).main()).toBe(4);
  });
});
