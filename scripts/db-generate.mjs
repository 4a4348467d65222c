// Generate SQL migrations from the Drizzle schema into drizzle/.
// Before the first release (version 0.x with no deployed databases) `--reset` squashes the history
// into one initial migration; after a release, migrations are only ever appended.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

const reset = process.argv.includes("--reset");
if (reset) rmSync("drizzle", { recursive: true, force: true });
execFileSync("npx", ["drizzle-kit", "generate", ...(reset ? ["--name", "init"] : [])], { stdio: "inherit" });
