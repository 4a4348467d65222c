import { z } from "zod";

/**
 * The one place outside `loadConfig` that touches the process environment. Everything else gets its
 * values passed down (the Config in `ctx.config`, or the functions below), so a test can hand any
 * module the environment it wants and the env-boundary test keeps it that way.
 */

/** The raw environment, unparsed: check-deploy reports what does not parse, so it needs the original. */
export function rawEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}

/**
 * The environment for a child process (pg_dump, drizzle-kit): this process's own (PATH, locale,
 * PG* settings) plus `extra`, which wins.
 */
export function childProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

const cliEnvSchema = z.object({
  /** `users create`: the initial password, kept out of the process list and shell history. */
  REVINTEL_PASSWORD: z.string().min(1).optional(),
});

export type CliEnv = z.infer<typeof cliEnvSchema>;

/** Variables only CLI commands read (not part of the app's Config). */
export function loadCliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  return cliEnvSchema.parse(cleaned);
}
