import { rebuildDirtyDays } from "../analytics/index.ts";
import type { Job } from "./registry.ts";

/** Every scheduled job the worker runs; each domain adds its own entry here. */
export const ALL_JOBS: Job[] = [
  {
    name: "snapshots.rebuild-dirty",
    schedule: "* * * * *",
    description: "Rebuild the snapshots of reporting days marked dirty by new payments, orders and subscription events",
    run: rebuildDirtyDays,
  },
];
