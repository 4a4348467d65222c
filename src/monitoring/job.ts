import { systemActor } from "../audit/index.ts";
import type { Job } from "../jobs/registry.ts";
import { runChecks } from "./runner.ts";

/** Hourly, a few minutes past the hour so the snapshot rebuild of the hour has landed. */
export const dataQualityChecksJob: Job = {
  name: "data-quality-checks",
  schedule: "7 * * * *",
  description: "Run every data-quality check; open, update and auto-resolve issues",
  async run(ctx) {
    const summary = await runChecks(ctx, { actor: systemActor });
    return summary.outcomes.reduce((n, o) => n + o.findings, 0);
  },
};
