/**
 * The app as real child processes (`node bin/revintel.js serve|worker`) for benches and soak tests:
 * the same binary an operator runs, on 127.0.0.1, killable with any signal.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/revintel.js", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  child: ChildProcess;
  /** Base URL (serve only). */
  url: string;
  /** Last lines of stderr/stdout, for failure messages. */
  output(): string;
  /** Sends the signal and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

function baseEnv(databaseUrl: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
    PAYMENTS_MODE: "offline",
    ...extra,
  };
}

function spawnApp(args: string[], env: NodeJS.ProcessEnv): AppProcess & { exited: Promise<void> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    url: "",
    exited,
    output: () => tail,
    kill: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** `revintel serve` on a free port; resolves once `/healthz` answers. */
export async function startServe(
  databaseUrl: string,
  options: { port?: number; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const proc = spawnApp(
    ["serve"],
    baseEnv(databaseUrl, { HOST: "127.0.0.1", PORT: String(port), ...options.env }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`serve exited early:\n${proc.output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { ...proc, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.kill("SIGKILL");
  throw new Error(`serve did not become healthy on ${url}:\n${proc.output()}`);
}

/** `revintel worker` (scheduled jobs); resolves once spawned. */
export function startWorkerProcess(databaseUrl: string, env: Record<string, string> = {}): AppProcess {
  return spawnApp(["worker"], baseEnv(databaseUrl, env));
}

/** Runs a CLI command to completion and returns its exit code and output. */
export function runCli(
  args: string[],
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: baseEnv(databaseUrl, env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.once("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
