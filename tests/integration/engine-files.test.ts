import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { engineDependentFiles, listTestFiles, OWN_MODULE_FILES } from "../support/engine-files.ts";

// The PostgreSQL run takes only the files that can answer differently there; a file wrongly left
// out would silently lose its PostgreSQL coverage, so the selection is pinned on real files and on
// a small tree with the tricky shapes.
const root = join(import.meta.dirname, "..", "..");

describe("test files that depend on the database engine", () => {
  const all = listTestFiles(root, ["src", "tests/integration"], [".test.ts", ".test.tsx"]);
  const chosen = new Set(engineDependentFiles(root, all));

  it("takes files that open a test database directly, through helpers, or read TEST_DATABASE_URL", () => {
    expect(chosen).toContain("src/payments/ledger/refund-race.test.ts"); // createTestContext
    expect(chosen).toContain("src/context.test.ts"); // reads TEST_DATABASE_URL itself
    expect(chosen).toContain("src/cli/orders-refund.test.ts"); // CLI on a cloned Postgres database
    expect(chosen).toContain("tests/integration/fuzz-webhooks.test.ts");
  });

  it("gives every file that replaces a module its own module graph", () => {
    const mocking = all.filter((file) =>
      /\bvi\.(mock|doMock|unmock)\(/.test(readFileSync(join(root, file), "utf8")),
    );
    expect(mocking).toEqual([...OWN_MODULE_FILES].sort());
  });

  it("leaves out pure functions and the CLI on its own embedded data directory", () => {
    expect(chosen).not.toContain("src/shared/money.test.ts");
    expect(chosen).not.toContain("src/cli/kpis.test.ts");
    expect(chosen).not.toContain("src/web/views/components/data-table.test.tsx");
    expect(chosen.size).toBeLessThan(all.length);
  });

  const tree = mkdtempSync(join(tmpdir(), "engine-files-"));
  afterAll(() => rmSync(tree, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  };

  it("follows helpers through an import cycle and ignores production code that names the variable", () => {
    write("tests/support/db.ts", "export const db = 1;\n");
    write("tests/support/postgres-template.ts", "export const t = 1;\n");
    // a ↔ b cycle, with the database reached only from a after b's import
    write(
      "tests/support/a.ts",
      'import { b } from "./b.ts";\nimport { db } from "./db.ts";\nexport const a = b + db;\n',
    );
    write("tests/support/b.ts", 'import { a } from "./a";\nexport const b = 1;\nexport { a };\n');
    write("src/x/via-cycle.test.ts", 'import { b } from "../../tests/support/b.ts";\n');
    write("src/x/a-first.test.ts", 'import { a } from "../../tests/support/a.ts";\n');
    write("src/x/dynamic.test.ts", 'const m = await import("../../tests/support/db.ts");\n');
    write("src/config/env.ts", "export const names = ['TEST_DATABASE_URL'];\n");
    write("src/x/config-only.test.ts", 'import { names } from "../config/env.ts";\n');
    write("src/x/pure.test.ts", 'import { z } from "zod";\n');
    // a-first walks a → b → a before b's answer is known; via-cycle then asks about b
    const files = [
      "src/x/a-first.test.ts",
      "src/x/config-only.test.ts",
      "src/x/dynamic.test.ts",
      "src/x/pure.test.ts",
      "src/x/via-cycle.test.ts",
    ];
    expect(engineDependentFiles(tree, files)).toEqual([
      "src/x/a-first.test.ts",
      "src/x/dynamic.test.ts",
      "src/x/via-cycle.test.ts",
    ]);
  });
});
