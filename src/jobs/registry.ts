import type { AppContext } from "../context.ts";

export interface Job {
  name: string;
  /** Cron pattern (croner syntax, seconds optional), evaluated in UTC. */
  schedule: string;
  description: string;
  /** Returns how many items it handled (for the job_runs row and logs). */
  run(ctx: AppContext): Promise<number>;
}
