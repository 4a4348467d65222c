import { resetCounters } from "./counters.ts";

// Runs before each test file. Files share their worker's loaded modules (vitest.config.ts): the
// counters a file's data is numbered from start again here, so a file builds the same rows whichever
// files ran before it in the same worker.
resetCounters();
