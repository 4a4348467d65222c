/**
 * `npm run bench [-- --only webhooks,checkout] [--quick] [--scale 10m] [--postgres-url URL] [--strict]`
 *
 * Runs every `bench/*.bench.ts` module (or the selected ones) one after another, prints one table,
 * and writes `bench/results/<name>.json` per bench (quick runs: `<name>.quick.json`, so a smoke run
 * never overwrites the published figures; `--scale 10m` runs: `<name>.10m.json`). Targets are reported; `--strict` also exits 1 when one is
 * missed. A bench that throws is reported as an error and makes the exit code 1.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { round } from "./lib/stats.ts";
import type { BenchModule, BenchResult, BenchScale } from "./lib/types.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const RESULTS = join(HERE, "results");

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    scale: { type: "string", default: "1m" },
    strict: { type: "boolean", default: false },
    "postgres-url": { type: "string" },
    list: { type: "boolean", default: false },
  },
  allowPositionals: false,
});

const available = readdirSync(HERE)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .sort();

if (values.list) {
  console.log(available.join("\n"));
  process.exit(0);
}

const scale = values.scale as BenchScale;
if (scale !== "1m" && scale !== "10m") {
  console.error(`--scale: 1m or 10m, not ${values.scale}`);
  process.exit(2);
}
const load = async (name: string) =>
  (await import(pathToFileURL(join(HERE, `${name}.bench.ts`)).href)) as BenchModule;
const scaled: string[] = [];
if (scale !== "1m" && !values.only) {
  for (const name of available) if ((await load(name)).scales?.includes(scale)) scaled.push(name);
}
// At 10m only the benches that support that scale run (unless named with --only).
const selected = values.only
  ? values.only.split(",").map((s) => s.trim())
  : scale === "1m"
    ? available
    : scaled;
const unknown = selected.filter((s) => !available.includes(s));
if (unknown.length) {
  console.error(`--only: unknown bench ${unknown.join(", ")} (available: ${available.join(", ")})`);
  process.exit(2);
}

const postgresUrl =
  values["postgres-url"] ??
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown"}), ${round(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`;
console.log(
  `bench: ${selected.join(", ")}${values.quick ? " (quick sizes)" : ""}${scale === "1m" ? "" : ` at scale ${scale}`} on ${machine}`,
);

mkdirSync(RESULTS, { recursive: true });
const rows: Array<BenchResult | { name: string; error: string }> = [];
for (const name of selected) {
  const mod = await load(name);
  const started = Date.now();
  try {
    const result = await mod.run({
      postgresUrl,
      quick: values.quick,
      scale,
      log: (m) => console.log(`  [${name}] ${m}`),
    });
    const suffix = `${values.quick ? ".quick" : ""}${scale === "1m" ? "" : `.${scale}`}`;
    const file = join(RESULTS, `${result.name}${suffix}.json`);
    const record = {
      ...result,
      machine,
      date: new Date().toISOString(),
      seconds: (Date.now() - started) / 1000,
    };
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
    rows.push(result);
  } catch (err) {
    console.error(`  [${name}] failed:`, err);
    rows.push({ name, error: err instanceof Error ? err.message : String(err) });
  }
}

function fmt(v: { value: number; unit: string }): string {
  return `${round(v.value, 2)} ${v.unit}`;
}

const table = rows.map((r) =>
  "error" in r
    ? { bench: r.name, baseline: "-", measured: "-", ratio: "-", target: "-", result: `ERROR ${r.error}` }
    : {
        bench: r.name,
        baseline: `${r.baseline.label}: ${fmt(r.baseline)}`,
        measured: `${r.measured.label}: ${fmt(r.measured)}`,
        ratio: String(round(r.ratio, 3)),
        target: r.target,
        result: r.pass ? "pass" : "MISS",
      },
);
console.log("");
console.table(table);
for (const r of rows) {
  if ("error" in r) continue;
  console.log(`${r.name}: ${r.figures.map((f) => `${f.label} ${round(f.value, 2)} ${f.unit}`).join("; ")}`);
}

const crashed = rows.some((r) => "error" in r);
const missed = rows.some((r) => !("error" in r) && !r.pass);
process.exitCode = crashed || (values.strict && missed) ? 1 : 0;
