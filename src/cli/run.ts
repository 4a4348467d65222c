import type { z } from "zod";
import { ZodError } from "zod";
import { type Config, ConfigError, loadConfig } from "../config/env.ts";
import { type AppContext, closeContext, createContext } from "../context.ts";
import { assertReachable, DatabaseUnreachableError } from "../db/client.ts";
import { AppError } from "../shared/errors.ts";
import { scrubText } from "../shared/logger.ts";
import { parseInput } from "../shared/validate.ts";

/** Exit codes: 0 ok; 1 the command ran and found a failure; 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

export function fail(message: string, exitCode = EXIT_FAILURE): never {
  throw new CliFailure(message, exitCode);
}

/** Parse commander's options with zod; a bad flag exits 2 naming it (`--from: …`). */
export function parseFlags<S extends z.ZodType>(schema: S, options: unknown): z.infer<S> {
  try {
    return parseInput(schema, options);
  } catch (err) {
    if (err instanceof AppError) {
      const field = (err.details?.field as string | undefined) ?? "";
      const flag = field
        ? `--${field.split(".")[0]!.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`
        : "input";
      fail(`${flag}: ${err.message.replace(/^[\w.]+: /, "")}`, EXIT_USAGE);
    }
    throw err;
  }
}

/** The app's Config for a command (from the process environment unless `env` is given); bad values exit 2. */
export function loadCliConfig(env?: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, EXIT_USAGE);
    throw err;
  }
}

/** Open the app context for one command, always close it (so the process can exit). */
export async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  const ctx = await createContext(config);
  try {
    await assertReachable(ctx.database);
    if (ctx.replica) await assertReachable(ctx.replica);
    return await work(ctx);
  } finally {
    await closeContext(ctx);
  }
}

/** Map any error to a one-line message and the exit-code contract. */
export function exitCodeFor(err: unknown): { code: number; message: string } {
  if (err instanceof CliFailure) return { code: err.exitCode, message: err.message };
  if (err instanceof ConfigError) return { code: EXIT_USAGE, message: err.message };
  // The address in the environment is wrong or the server is down: the operator's input to fix.
  if (err instanceof DatabaseUnreachableError) return { code: EXIT_USAGE, message: err.message };
  if (err instanceof AppError)
    return { code: err.status === 400 ? EXIT_USAGE : EXIT_FAILURE, message: err.message };
  if (err instanceof ZodError)
    return { code: EXIT_USAGE, message: err.issues[0]?.message ?? "invalid input" };
  // A failed query's message carries its parameters (personal data): print it without them.
  const message = scrubText(err instanceof Error ? err.message : String(err));
  return { code: EXIT_FAILURE, message };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned table for terminals. */
export function printTable(rows: Array<Record<string, unknown>>, columns?: string[]): void {
  if (rows.length === 0) {
    process.stdout.write("(none)\n");
    return;
  }
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) =>
    v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => "-".repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(cols.map((c) => cell(r[c])))}\n`);
}
