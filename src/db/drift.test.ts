import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkDrift } from "./drift.ts";

const root = resolve(import.meta.dirname, "../..");
const scratch = join(root, ".tmp", `drift-test-${process.pid}`);

describe("migration drift check", () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("passes when the committed migrations match the schema", () => {
    expect(checkDrift(root)).toEqual({ drift: false, newFiles: [] });
  }, 60_000);

  it("fails when the schema has a change with no migration", () => {
    mkdirSync(scratch, { recursive: true });
    const schema = join(scratch, "schema.ts");
    // The probe re-exports the real schema (a path computed here, so import rewriters leave it alone).
    const realSchema = relative(scratch, join(root, "src", "db", "schema.ts"))
      .split("\\")
      .join("/");
    writeFileSync(
      schema,
      `export * from ${JSON.stringify(realSchema)};\nimport { pgTable, text } from "drizzle-orm/pg-core";\nexport const driftProbe = pgTable("drift_probe", { id: text().primaryKey() });\n`,
    );
    const previous = process.env.DRIZZLE_SCHEMA;
    process.env.DRIZZLE_SCHEMA = relative(root, schema);
    try {
      const result = checkDrift(root);
      expect(result.drift).toBe(true);
      expect(result.newFiles).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.DRIZZLE_SCHEMA;
      else process.env.DRIZZLE_SCHEMA = previous;
    }
  }, 60_000);
});
