import type { AppContext } from "../context.ts";

export interface Job {
  name: string;
  /** Cron pattern (croner syntax, seconds optional), evaluated in UTC. */
  schedule: string;
  description: string;
  /** Returns how many items it handled (for the job_runs row and logs). */
  run(ctx: AppContext): Promise<number>;
}

/** Domains add their scheduled work here (webhook re-drive, snapshot refresh, checks, order TTL). */
export const JOBS: Job[] = [];

export function registerJob(job: Job): void {
  if (!JOBS.some((j) => j.name === job.name)) JOBS.push(job);
}
