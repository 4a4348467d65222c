import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { envSchema } from "../config/env.ts";

const root = join(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

/** `docker-compose` (v1, what CI installs) or the `docker compose` plugin, whichever answers. */
function composeCommand(): string[] | null {
  for (const cmd of [["docker-compose"], ["docker", "compose"]]) {
    const probe = spawnSync(cmd[0]!, [...cmd.slice(1), "version"], { encoding: "utf8" });
    if (probe.status === 0) return cmd;
  }
  return null;
}
const compose = composeCommand();
const work = mkdtempSync(join(tmpdir(), "revintel-compose-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function composeConfig(envFile: string | null, ...args: string[]) {
  copyFileSync(join(root, "compose.yaml"), join(work, "compose.yaml"));
  rmSync(join(work, ".env"), { force: true });
  if (envFile !== null) writeFileSync(join(work, ".env"), envFile);
  return spawnSync(
    compose![0]!,
    [...compose!.slice(1), "-f", join(work, "compose.yaml"), "config", ...args],
    {
      cwd: work,
      encoding: "utf8",
    },
  );
}

describe(".env.example", () => {
  const text = read(".env.example");
  it("lists every variable of the config schema, each with a comment above it", () => {
    for (const key of Object.keys(envSchema.shape)) {
      const lines = text.split("\n");
      const at = lines.findIndex((l) => new RegExp(`^(# )?${key}=`).test(l));
      expect(at, `${key} is missing from .env.example`).toBeGreaterThan(0);
      // Walk up over neighbouring assignments (HOST= / PORT= share one comment) to the comment block.
      let above = at - 1;
      while (above > 0 && /^(# )?[A-Z_]+=/.test(lines[above]!)) above--;
      expect(lines[above]!.startsWith("#"), `${key} has no comment`).toBe(true);
    }
  });

  it("ships no usable secret: the secrets are empty or commented placeholders", () => {
    expect(text).toMatch(/^SESSION_SECRET=$/m);
    expect(text).toMatch(/^POSTGRES_PASSWORD=$/m);
    expect(text).not.toMatch(/^STRIPE_(SECRET_KEY|WEBHOOK_SECRET)=/m);
    expect(text).not.toMatch(/sk_live_[A-Za-z0-9]{8,}/);
  });
});

describe("Dockerfile", () => {
  const text = read("Dockerfile");
  it("is multi-stage on a Node LTS slim image, installs production dependencies only, runs as non-root", () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:(22|24)-[a-z]*-?slim$/m);
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain("npm ci --omit=dev");
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
  });

  it("builds the CLI's bundle of the sources after copying them, while the image is writable", () => {
    const build = text.search(/^RUN node bin\/revintel\.js --version$/m);
    expect(build).toBeGreaterThan(text.search(/^COPY .* src \.\/src$/m));
    expect(build).toBeLessThan(text.search(/^USER node$/m));
  });

  it("copies only paths that exist, and .dockerignore keeps secrets and local state out", () => {
    for (const m of text.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm))
      for (const source of m[1]!.split(" ")) expect(existsSync(join(root, source)), source).toBe(true);
    const ignore = read(".dockerignore").split("\n");
    for (const entry of [".env", "node_modules", "data", ".git"]) expect(ignore).toContain(entry);
  });

  it("ships no test support: no tests/, bench/ or *.test.ts(x) reaches the runtime image", () => {
    const shipped = imageFiles(text, read(".dockerignore"));
    expect(shipped).toContain("bin/revintel.js");
    expect(shipped).toContain("src/cli/main.ts");
    const testCode = shipped.filter((f) => /^(tests|bench)\/|\.test\.tsx?$|\.bench\.ts$/.test(f));
    expect(testCode).toEqual([]);
  });
});

/**
 * The files the runtime stage copies from the build context: each `COPY` source (not
 * `--from`) expanded to its files, minus what .dockerignore excludes (Docker's rules: a pattern
 * that matches a directory excludes what is under it; `**` spans folders; the last match wins).
 */
function imageFiles(dockerfile: string, dockerignore: string): string[] {
  const rules = dockerignore
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negated = l.startsWith("!");
      const glob = (negated ? l.slice(1) : l).replace(/^\/+|\/+$/g, "");
      const body = glob
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) =>
          part === "**/" || part === "**"
            ? "(?:.*/)?"
            : part === "*"
              ? "[^/]*"
              : part === "?"
                ? "[^/]"
                : part.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
        )
        .join("");
      return { negated, re: new RegExp(`^${body}(?:/.*)?$`) };
    });
  const excluded = (file: string) =>
    rules.reduce((out, rule) => (rule.re.test(file) ? !rule.negated : out), false);
  const sources = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) =>
    m[1]!.split(" "),
  );
  const files = sources.flatMap((source) =>
    statSync(join(root, source)).isDirectory()
      ? readdirSync(join(root, source), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => relative(root, join(e.parentPath, e.name)))
      : [source],
  );
  return files.filter((f) => !excluded(f)).sort();
}

describe.skipIf(!compose)(
  "compose.yaml (skipped: neither docker-compose nor docker compose is installed)",
  () => {
    const filled = `${read(".env.example")
      .replace(/^SESSION_SECRET=$/m, `SESSION_SECRET=${"s".repeat(40)}`)
      .replace(/^POSTGRES_PASSWORD=$/m, "POSTGRES_PASSWORD=pw123")}`;

    it("validates with .env.example filled in, with web, worker and db", () => {
      const result = composeConfig(filled, "-q");
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const services = composeConfig(filled, "--services").stdout.trim().split("\n").sort();
      expect(services).toEqual(["db", "web", "worker"]);
    });

    it("web migrates before it serves; the database is postgres:16 with a volume and a healthcheck", () => {
      const out = composeConfig(filled).stdout;
      expect(out).toContain("node bin/revintel.js migrate && exec node bin/revintel.js serve");
      expect(out).toContain("image: postgres:16");
      expect(out).toContain("pgdata:/var/lib/postgresql/data");
      expect(out).toContain("pg_isready");
      expect(out).toContain("DATABASE_URL: postgres://revintel:pw123@db:5432/revintel");
    });

    it("validates on a fresh clone with no .env (the containers, not compose, refuse missing secrets)", () => {
      const result = composeConfig(null, "-q");
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    });

    it("passes every app variable from .env to the containers, except test-only and fixed ones", () => {
      const out = composeConfig(filled).stdout;
      expect(out).toContain(`SESSION_SECRET: ${"s".repeat(40)}`);
      const notPassed = ["TEST_DATABASE_URL", "CHROMIUM_PATH", "STRIPE_API_BASE", "DATA_DIR"];
      for (const key of Object.keys(envSchema.shape).filter((k) => !notPassed.includes(k)))
        expect(out, `${key} is not passed to the containers`).toMatch(new RegExp(`^ {6}${key}: `, "m"));
    });
  },
);

describe("production dependencies (the image installs with npm ci --omit=dev)", () => {
  it("nothing the CLI can load imports a devDependency", () => {
    const pkg = JSON.parse(read("package.json")) as { devDependencies: Record<string, string> };
    const dev = new Set(Object.keys(pkg.devDependencies));
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, "utf8");
      for (const m of source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) {
          const target = join(file, "..", spec);
          if (existsSync(target)) visit(target);
          continue;
        }
        if (spec.startsWith("node:")) continue;
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (dev.has(name)) offenders.push(`${file.slice(root.length + 1)} imports ${name}`);
      }
    };
    visit(join(root, "src/cli/main.ts"));
    expect(seen.size).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
