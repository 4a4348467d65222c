import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { parseCsv } from "../../tests/support/export-read.ts";
import { cliActor } from "../audit/index.ts";
import { directorySink, exportPack, PACK_NAMES, type PackName } from "./index.ts";

const DOC = resolve(import.meta.dirname, "../../docs/exports.md");

/** docs/exports.md → file name → documented columns, each flagged when it is PII-only. */
function documentedColumns(): Map<string, Array<{ name: string; piiOnly: boolean }>> {
  const files = new Map<string, Array<{ name: string; piiOnly: boolean }>>();
  let current: Array<{ name: string; piiOnly: boolean }> | null = null;
  for (const line of readFileSync(DOC, "utf8").split("\n")) {
    const heading = /^### (\S+\.csv)$/.exec(line);
    if (heading) {
      current = [];
      files.set(heading[1]!, current);
      continue;
    }
    if (line.startsWith("#")) current = null;
    const row = /^\| `([a-z0-9_]+)` \|/.exec(line);
    if (row && current) current.push({ name: row[1]!, piiOnly: line.includes("PII export only") });
  }
  return files;
}

let ctx: TestContext;
const headers = new Map<string, string[]>();
const piiHeaders = new Map<string, string[]>();
let schemaVersions: string[] = [];

async function exportHeaders(pack: PackName, pii: boolean, into: Map<string, string[]>) {
  const dir = mkdtempSync(join(tmpdir(), `doc-${pack}-`));
  const manifest = await exportPack(
    ctx,
    { pack, from: "2026-06-01", to: "2026-06-02", pii },
    await directorySink(dir),
    cliActor,
  );
  schemaVersions.push(manifest.schema_version);
  for (const file of manifest.files)
    into.set(file.name, parseCsv(readFileSync(join(dir, file.name), "utf8"))[0]!);
}

beforeAll(async () => {
  ctx = await createTestContext();
  schemaVersions = [];
  for (const pack of PACK_NAMES) await exportHeaders(pack, false, headers);
  await exportHeaders("bi", true, piiHeaders);
});
afterAll(() => ctx.destroy());

describe("docs/exports.md", () => {
  it("documents exactly the files every pack writes", () => {
    expect([...documentedColumns().keys()].sort()).toEqual([...headers.keys()].sort());
    expect(headers.size).toBe(19);
  });

  it("lists every column of every file, in the order the exporter writes them", () => {
    for (const [file, columns] of documentedColumns()) {
      expect({ file, columns: headers.get(file) }).toEqual({
        file,
        columns: columns.filter((c) => !c.piiOnly).map((c) => c.name),
      });
    }
  });

  it("marks the PII columns, which only an explicit PII export adds", () => {
    const customer = documentedColumns().get("dim_customer.csv")!;
    expect(customer.filter((c) => c.piiOnly).map((c) => c.name)).toEqual(["email", "name"]);
    expect(piiHeaders.get("dim_customer.csv")).toEqual(customer.map((c) => c.name));
  });

  it("states the schema version the manifests carry", () => {
    const doc = readFileSync(DOC, "utf8");
    expect(new Set(schemaVersions)).toEqual(new Set(["1.3.0"]));
    expect(doc).toContain("schema_version: `1.3.0`");
  });
});
