import type { Job } from "./registry.ts";

/** Every scheduled job the worker runs; each domain adds its own entry here. */
export const ALL_JOBS: Job[] = [];
