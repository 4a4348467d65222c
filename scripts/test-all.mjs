// `npm test`: the unit and integration suite on the embedded database, then the browser suite.
// CI's test gate runs exactly this. TEST_REPORTS=<dir> also writes vitest JSON reports there
// (suite.json, e2e.json). Arguments after `npm test --` go to both runs (a file filter that matches
// no browser test leaves that run empty, which passes).
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const vitest = join(root, "node_modules", ".bin", "vitest");
const reports = process.env.TEST_REPORTS;

function run(name, configArgs) {
  const reportArgs = reports
    ? ["--reporter=default", "--reporter=json", `--outputFile.json=${join(reports, `${name}.json`)}`]
    : [];
  const args = ["run", ...configArgs, ...reportArgs, ...process.argv.slice(2)];
  const result = spawnSync(vitest, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run("suite", []);
run("e2e", ["--config", "vitest.e2e.config.ts", ...(process.argv.length > 2 ? ["--passWithNoTests"] : [])]);
