import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createTestContext } from "../../support/context.ts";
import { counterState, resetCounters } from "../../support/counters.ts";
import setupTemplates from "../../support/global-setup.ts";
import { writeDump } from "../../support/pglite-template.ts";
import { e2eConfig, seedStaffData } from "./seed.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The seeded staff data as a PGlite data-directory dump ("" on Postgres: each file seeds its own). */
    e2eSeededDump: string;
    /** The test-data counters after that seed: a file's own rows go on numbering from there. */
    e2eSeedCounters: Record<string, number>;
  }
}

/**
 * The migrated templates, then (on the embedded engine) the browser suite's shop seeded once and
 * dumped: every file starts its server from a copy of it instead of seeding the same six months
 * again. The seed is deterministic (fixed clock), so the copy is what the file would have seeded.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  await setupTemplates();
  if (process.env.TEST_DATABASE_URL) {
    project.provide("e2eSeededDump", "");
    project.provide("e2eSeedCounters", {});
    return () => {};
  }
  const path = join(tmpdir(), `revintel-e2e-seeded-${randomBytes(6).toString("hex")}.tar`);
  const ctx = await createTestContext({ config: e2eConfig() });
  try {
    resetCounters();
    await seedStaffData(ctx);
    project.provide("e2eSeedCounters", counterState());
    await writeDump(ctx.database.pglite!, path);
  } finally {
    await ctx.destroy();
  }
  project.provide("e2eSeededDump", path);
  return () => rmSync(path, { force: true });
}
