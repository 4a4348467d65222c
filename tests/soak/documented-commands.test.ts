/**
 * The `revintel` commands written in README.md and docs/*.md, executed as written (flags and values
 * included) against a scratch embedded database seeded small, in a scratch working directory, each
 * with the exit code the docs promise. Documented commands that are not run here are listed in
 * NOT_RUN with the reason; a documented command in neither list fails the test, so a new one in the
 * docs has to be added to one of them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const docFiles = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const docs = new Map(docFiles.map((f) => [f, readFileSync(join(root, f), "utf8")]));

interface Step {
  /** The command as documented, after `revintel` / `node bin/revintel.js`. */
  command: string;
  /** Where it is written (the test checks it still is). */
  doc: string;
  /** The exit code the docs promise. */
  exit: 0 | 1 | 2;
  /** Environment written in front of the command in the docs (relative paths are the scratch dir's). */
  env?: Record<string, string>;
  /** Text the output must contain. */
  shows?: string;
}

/**
 * In order: the data set first (the documented command with smaller documented flags: the full
 * default seed is the quick-start soak's job, through `revintel start`), then read-only and local
 * commands, then the ones that change data (anonymize), then backup → restore into a second directory.
 */
const STEPS: Step[] = [
  { command: "migrate", doc: "docs/deploy.md", exit: 0 },
  { command: "migrate --check", doc: "docs/acceptance_matrix.md", exit: 0 },
  { command: "seed-demo --seed 7 --customers 60 --months 2", doc: "docs/demo_walkthrough.md", exit: 0 },
  { command: "--help", doc: "README.md", exit: 0, shows: "seed-demo" },
  { command: "--version", doc: "docs/release_process.md", exit: 0 },
  { command: "checks list", doc: "docs/runbook.md", exit: 0 },
  { command: "checks run", doc: "docs/demo_walkthrough.md", exit: 0 },
  { command: "checks run --fail-on-issues", doc: "docs/runbook.md", exit: 0 },
  { command: "checks run --check snapshot-reconciliation", doc: "docs/acceptance_matrix.md", exit: 0 },
  { command: "kpis --from 2026-03-01 --to 2026-03-31 --json", doc: "docs/acceptance_matrix.md", exit: 0 },
  {
    command: "kpis --from 2026-03-01 --to 2026-03-31 --currency usd --json",
    doc: "docs/kpi_definitions.md",
    exit: 0,
  },
  { command: "kpis --from 2026-05-01 --to 2026-05-31 --json", doc: "docs/demo_walkthrough.md", exit: 0 },
  { command: "snapshots build --days 30", doc: "docs/runbook.md", exit: 0 },
  {
    command: "fx list --pair EUR/USD --from 2026-03-01 --to 2026-03-31",
    doc: "docs/runbook.md",
    exit: 0,
  },
  { command: "snapshots build --from 2026-01-01 --to 2026-03-31", doc: "docs/runbook.md", exit: 0 },
  { command: "orders expire", doc: "docs/acceptance_matrix.md", exit: 0 },
  { command: "stripe replay --failed", doc: "docs/runbook.md", exit: 0 },
  { command: "simulate --days 7 --seed 1", doc: "docs/runbook.md", exit: 0 },
  {
    command: "export finance --from 2026-01-01 --to 2026-01-31 --out ./out",
    doc: "docs/acceptance_matrix.md",
    exit: 0,
  },
  {
    command: "export bi --from 2026-01-01 --to 2026-01-31 --out ./bi --zip",
    doc: "docs/exports.md",
    exit: 0,
  },
  { command: "users token --name demo --role analyst", doc: "docs/demo_walkthrough.md", exit: 0 },
  { command: "users tokens", doc: "docs/acceptance_matrix.md", exit: 0, shows: "demo" },
  {
    command: "users create --email you@example.com --role admin",
    doc: "docs/deploy.md",
    exit: 0,
    env: { REVINTEL_PASSWORD: "a-long-passphrase" },
  },
  // Rejected as the acceptance matrix shows: exit 2 naming the flag.
  { command: "users create --email x@y.z --role wizard", doc: "docs/acceptance_matrix.md", exit: 2 },
  // The matrix: with real payments the demo seed refuses to run.
  {
    command: "seed-demo",
    doc: "docs/acceptance_matrix.md",
    exit: 2,
    env: { PAYMENTS_MODE: "stripe", STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x" },
    shows: "PAYMENTS_MODE=offline",
  },
  { command: "audit verify", doc: "docs/demo_walkthrough.md", exit: 0 },
  { command: "customers anonymize --id 5", doc: "docs/demo_walkthrough.md", exit: 0 },
  { command: "customers anonymize --older-than 1095 --dry-run", doc: "docs/data_governance.md", exit: 0 },
  { command: "customers anonymize --older-than 1095", doc: "docs/data_governance.md", exit: 0 },
  { command: "audit verify", doc: "docs/demo_walkthrough.md", exit: 0 },
  // The walkthrough says it fails on a demo database, naming the problems.
  { command: "check-deploy", doc: "docs/demo_walkthrough.md", exit: 1, shows: "demo" },
  { command: "backup --out demo.bak", doc: "docs/demo_walkthrough.md", exit: 0 },
  {
    command: "backup --out revintel-embedded.bak",
    doc: "docs/backup_restore.md",
    exit: 0,
    env: { DATA_DIR: "./data" },
  },
  {
    command: "restore revintel-embedded.bak",
    doc: "docs/backup_restore.md",
    exit: 0,
    env: { DATA_DIR: "./data-restored" },
  },
  { command: "audit verify", doc: "docs/backup_restore.md", exit: 0, env: { DATA_DIR: "./data-restored" } },
];

/**
 * Documented commands deliberately not run here, and why. `path` is the command path; the forms
 * whose path is run above with other values are listed too, so the list of what is skipped is whole.
 */
const NOT_RUN: Array<{ path: string; form: string; why: string }> = [
  { path: "serve", form: "serve", why: "a long-running server; the quick-start and scale-out soaks run it" },
  {
    path: "worker",
    form: "worker",
    why: "a long-running process; the scale-out and crash-safety soaks run it",
  },
  {
    path: "stripe sync",
    form: "stripe sync --since 2026-01-01",
    why: "calls the Stripe API: needs PAYMENTS_MODE=stripe, a secret key and the network",
  },
  { path: "stripe replay", form: "stripe replay --event evt_…", why: "the event id is a placeholder" },
  {
    path: "fx import",
    form: "fx import eurofxref-hist.csv / fx import FILE",
    why: "the file is the ECB's download (network); src/cli/fx.test.ts runs the command as a child process on a file of that layout",
  },
  {
    path: "orders cancel",
    form: "orders cancel (an operator's action on a pending order)",
    why: "needs a pending order id and a reason; src/orders and src/payments/offline/stripe-mode.test.ts cancel orders",
  },
  {
    path: "orders refund",
    form: "orders refund --order RI-002392 --amount 12.50 --reason requested_by_customer",
    why: "the order number is an example; src/cli/orders-refund.test.ts runs the command as a child process (partial, full, restock, refused, three- and zero-decimal currencies)",
  },
  {
    path: "users revoke-token",
    form: "users revoke-token --id N",
    why: "the id is a placeholder; src/auth/api-tokens.test.ts revokes tokens",
  },
  {
    path: "kpis",
    form: "kpis --json",
    why: "the acceptance matrix's shorthand for kpis (--from and --to are required); full forms are run",
  },
  {
    path: "kpis",
    form: "REPORTING_TIMEZONE=America/New_York kpis …",
    why: "the period is elided in the matrix; the timezone rules have their own tests",
  },
  {
    path: "customers anonymize",
    form: "customers anonymize --id 1234",
    why: "an example id for a real shop",
  },
  {
    path: "seed-demo",
    form: "seed-demo (the defaults: 12 months, 2,000 customers)",
    why: "takes a minute or more; `revintel start` runs the same default seed in the quick-start soak, and CI's data-quality gate checks that database (.ci/run, demo_checks)",
  },
  {
    path: "backup",
    form: "DATABASE_URL=postgres://… backup / restore",
    why: "needs a PostgreSQL server and pg_dump; the embedded-database procedure is run",
  },
  {
    path: "audit verify",
    form: "docker compose exec web node bin/revintel.js …",
    why: "needs a Docker engine; the commands inside are the ones run here",
  },
];

/** Every `revintel …` invocation in the docs, as its command path (`checks run`, `users token`, …). */
function documentedPaths(text: string): string[] {
  const paths: string[] = [];
  for (const m of text.matchAll(/(?:bin\/revintel\.js|(?:^|`|npx )\s*revintel)((?: +[^\s`|#]+)*)/gm)) {
    const words: string[] = [];
    for (const t of m[1]!.trim().split(/ +/)) {
      if (!/^[a-z][a-z-]*$/.test(t)) break;
      words.push(t);
    }
    if (words.length > 0) paths.push(words.join(" "));
  }
  return paths;
}

const pathOf = (command: string) =>
  command
    .split(" ")
    .filter((w) => /^[a-z][a-z-]*$/.test(w))
    .join(" ");

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "revintel-docs-"));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Only our variables: vitest's BASE_URL/NODE_ENV and the test database settings are not an operator's. */
function run(step: Step) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("DATABASE_") && !["NODE_ENV", "BASE_URL", "PORT"].includes(k),
    ),
  );
  const result = spawnSync(process.execPath, [join(root, "bin/revintel.js"), ...step.command.split(" ")], {
    cwd: scratch,
    env: { ...env, DATA_DIR: "./data", LOG_LEVEL: "warn", ...step.env },
    encoding: "utf8",
    timeout: 240_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("documented commands run as written", () => {
  it("each command to run is written in the doc it names", () => {
    const missing = STEPS.filter((s) => {
      const text = docs.get(s.doc) ?? "";
      // `seed-demo` is run with the documented flags at smaller values (see STEPS).
      const written = s.command.startsWith("seed-demo --") ? "seed-demo [--seed" : s.command;
      return !text.includes(written);
    }).map((s) => `${s.doc}: ${s.command}`);
    expect(missing).toEqual([]);
  });

  it("every documented command path is run here or listed as not run, with a reason", () => {
    // A step covers its command path and the paths above it (`export finance` covers `export`).
    const covered = new Set(
      [...STEPS.map((s) => pathOf(s.command)), ...NOT_RUN.map((n) => n.path)].flatMap((p) =>
        p.split(" ").map((_, i, words) => words.slice(0, i + 1).join(" ")),
      ),
    );
    const uncovered = [...docs].flatMap(([file, text]) =>
      documentedPaths(text)
        .filter((p) => !covered.has(p))
        .map((p) => `${file}: revintel ${p}`),
    );
    expect([...new Set(uncovered)]).toEqual([]);
    expect(NOT_RUN.filter((n) => n.why.length < 20)).toEqual([]);
  });

  it("runs each one in order with the documented exit code", () => {
    const failures: string[] = [];
    for (const step of STEPS) {
      const { code, out } = run(step);
      if (code !== step.exit || (step.shows && !out.includes(step.shows)))
        failures.push(`revintel ${step.command} → exit ${code} (want ${step.exit}): ${out.slice(-400)}`);
    }
    expect(failures).toEqual([]);
    // The files the commands were asked to write exist where the docs say.
    for (const file of ["out", "demo.bak", "revintel-embedded.bak", "data-restored"])
      expect(existsSync(join(scratch, file)), file).toBe(true);
    // 38 process starts (each bounded at 240 s above): about 2 minutes on a quiet 2-core machine, over
    // 10 minutes on a slow one beside the PostgreSQL suite. The budget is CI's, not a speed claim.
  }, 1_800_000);

  it("the restored copy gives the same KPIs as the original", () => {
    // The seeded history ends today: compare its last 60 days.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const period = `--from ${day(Date.now() - 60 * 86_400_000)} --to ${day(Date.now())}`;
    const kpis = (dir: string) =>
      run({ command: `kpis ${period} --json`, doc: "", exit: 0, env: { DATA_DIR: dir } });
    const original = kpis("./data");
    expect(original.code).toBe(0);
    expect(JSON.parse(original.out).orders).toBeGreaterThan(0);
    expect(kpis("./data-restored")).toEqual(original);
  });
});
