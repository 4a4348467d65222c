// How `bin/revintel.js` loads the CLI. The TypeScript sources run from a bundle of them, built by
// esbuild (the compiler tsx itself runs on) into node_modules/.cache/revintel-cli/ and rebuilt when
// any source it holds changed: every start re-reads those sources and compares their hash, so an
// edited file never runs stale. A start then costs about a third of loading each file through tsx's
// loader. Without a writable cache (a read-only install) or when the build fails, the sources run
// through tsx's loader as before: same code, slower start. REVINTEL_CLI_BUNDLE=off forces that.
import { createHash } from "node:crypto";
import {
  accessSync,
  constants,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Changes whenever the build's options below change, so an older bundle is not reused. */
const BUILD_VERSION = 1;

/** The CLI's module (`{ main }`). */
export async function loadCli() {
  if (process.env.REVINTEL_CLI_BUNDLE !== "off") {
    const bundle = await cliBundle(projectRoot);
    if (bundle !== null) {
      // Stack traces name the TypeScript sources (the bundle's linked source maps).
      process.setSourceMapsEnabled(true);
      return import(pathToFileURL(bundle).href);
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  return import("../src/cli/main.ts");
}

/**
 * The bundle's entry file for `root`'s `src/cli/main.ts`: the cached one when it was built from
 * exactly the sources on disk now, else a new build; null when there is no writable cache or the
 * build fails (a syntax error, say: tsx's loader then reports it as usual).
 */
export async function cliBundle(root) {
  const cacheDir = join(root, "node_modules/.cache/revintel-cli");
  const fresh = freshBundle(root, cacheDir);
  if (fresh !== null) return fresh;
  try {
    mkdirSync(cacheDir, { recursive: true });
    accessSync(cacheDir, constants.W_OK);
    return await buildBundle(root, cacheDir);
  } catch {
    return null;
  }
}

function hashSources(files, read) {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update("\0").update(read(file)).update("\0");
  return hash.digest("hex");
}

function freshBundle(root, cacheDir) {
  try {
    const manifest = JSON.parse(readFileSync(join(cacheDir, "manifest.json"), "utf8"));
    if (manifest.version !== BUILD_VERSION) return null;
    if (hashSources(manifest.inputs, (file) => readFileSync(join(root, file))) !== manifest.hash) return null;
    const bundle = join(cacheDir, manifest.bundle);
    statSync(bundle);
    return bundle;
  } catch {
    // No cache yet, a source removed, or the bundle cleaned away: build.
    return null;
  }
}

/**
 * Bundles the sources reachable from the entry (packages stay imports of node_modules), split so a
 * command's modules and the packages they import load only when that command runs.
 * `import.meta.url` (and `dirname`, `filename`) keep naming the source file, so paths read relative
 * to a module (migrations, package.json, static files) resolve as they do under tsx. The sources are hashed as
 * esbuild read them. A build goes to a folder of its own, renamed into place when complete, so
 * processes building at once never read half a build.
 */
async function buildBundle(root, cacheDir) {
  const { build } = await import("esbuild");
  const loaded = new Map();
  const keepModuleUrl = {
    name: "keep-module-url",
    setup(b) {
      b.onLoad({ filter: /\.tsx?$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        loaded.set(relative(root, args.path), text);
        const contents = text
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
          .replaceAll("import.meta.filename", JSON.stringify(args.path));
        return {
          contents,
          loader: args.path.endsWith(".tsx") ? "tsx" : "ts",
        };
      });
    },
  };
  const staging = join(cacheDir, `build-${process.pid}-${Date.now()}`);
  await build({
    absWorkingDir: root,
    entryPoints: { main: join(root, "src/cli/main.ts") },
    bundle: true,
    splitting: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    jsx: "automatic",
    jsxImportSource: "hono/jsx",
    sourcemap: "linked",
    sourcesContent: false,
    outdir: staging,
    outExtension: { ".js": ".mjs" },
    logLevel: "silent",
    plugins: [keepModuleUrl],
  });
  const inputs = [...loaded.keys()].sort();
  const hash = hashSources(inputs, (file) => loaded.get(file));
  const name = `bundle-${hash.slice(0, 16)}`;
  try {
    renameSync(staging, join(cacheDir, name));
  } catch {
    // Another process built the same sources first: theirs is the same.
    rmSync(staging, { recursive: true, force: true });
  }
  const bundle = join(name, "main.mjs");
  const manifest = join(cacheDir, "manifest.json");
  writeFileSync(
    `${manifest}.${process.pid}.tmp`,
    JSON.stringify({ version: BUILD_VERSION, hash, bundle, inputs }),
  );
  renameSync(`${manifest}.${process.pid}.tmp`, manifest);
  removeOldBuilds(cacheDir, name);
  return join(cacheDir, bundle);
}

/** Bundles of earlier sources (and builds a killed process left), once no start could still read them. */
function removeOldBuilds(cacheDir, current) {
  const hourAgo = Date.now() - 3_600_000;
  for (const entry of readdirSync(cacheDir)) {
    if (!/^(bundle|build)-/.test(entry) || entry === current) continue;
    const path = join(cacheDir, entry);
    try {
      if (statSync(path).mtimeMs < hourAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
