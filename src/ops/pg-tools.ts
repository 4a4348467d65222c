import { spawn } from "node:child_process";
import { childProcessEnv } from "../config/process-env.ts";
import { TimedClient } from "../db/client.ts";

/**
 * Connection settings for libpq tools (pg_dump, pg_restore): the URL without its password, which
 * travels in PGPASSWORD instead, so it never shows up in the process list.
 */
export function libpqTarget(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return { dbname: url.toString(), env: childProcessEnv(password ? { PGPASSWORD: password } : {}) };
}

/** Where a database lives, without credentials (for messages). */
export function describeUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `postgres://${url.hostname}:${url.port || 5432}${url.pathname}`;
}

export class ToolError extends Error {
  constructor(
    readonly tool: string,
    message: string,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/** Run a PostgreSQL client tool; rejects with its stderr when it exits non-zero or is missing. */
export function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      reject(
        new ToolError(
          tool,
          err.code === "ENOENT"
            ? `${tool} not found: install the PostgreSQL client tools (same major version as the server or newer)`
            : `${tool}: ${err.message}`,
        ),
      );
    });
    child.on("close", (code) => {
      if (code === 0) resolve();
      else
        reject(new ToolError(tool, `${tool} exited with ${code}: ${stderr.trim().split("\n").join(" | ")}`));
    });
  });
}

/** Relations (tables, views, sequences) outside the system schemas: 0 means an empty database. */
export async function countUserRelations(databaseUrl: string): Promise<number> {
  const client = new TimedClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
         AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
         AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
    );
    return result.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
