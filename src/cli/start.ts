import { resolve } from "node:path";
import type { Command } from "commander";
import { count } from "drizzle-orm";
import { countDemoUsers } from "../auth/index.ts";
import { migrate } from "../db/migrate.ts";
import { users } from "../db/schema.ts";
import { seedDemo } from "../demo/seed.ts";
import { DEMO_USERS } from "../demo/users.ts";
import { createProgress } from "./progress.ts";
import { withContext } from "./run.ts";
import { runServer, waitForShutdown } from "./serve.ts";

export interface StartSummary {
  url: string;
  /** The embedded database's directory, or unset on PostgreSQL. */
  dataDir?: string;
  /** `postgres://host:port/db` (no credentials) when the data lives on PostgreSQL. */
  databaseLabel: string;
  /** The demo logins, when this database has them. */
  logins: ReadonlyArray<{ role: string; email: string; password: string }>;
  /** Seconds the start took, demo seed included. */
  seconds: number;
  seeded: boolean;
}

/** The one block `npm start` ends with: where to go, how to sign in, where the data is, how to start over. */
export function startSummary(s: StartSummary): string {
  const lines = [
    "",
    `Revenue Intelligence is serving at ${s.url}  (ready in ${s.seconds.toFixed(0)} s${s.seeded ? ", demo data seeded" : ""})`,
    "",
  ];
  if (s.logins.length > 0) {
    lines.push("  Demo logins (also in docs/demo_walkthrough.md):");
    for (const u of s.logins) lines.push(`    ${u.role.padEnd(9)} ${u.email.padEnd(30)} ${u.password}`);
  } else lines.push("  Sign in with the users created by `revintel users create`.");
  if (s.dataDir !== undefined) {
    lines.push(`  Data:  ${s.dataDir}  (embedded PostgreSQL)`);
    lines.push(`  Reset: stop it, delete ${s.dataDir}, run npm start again (a fresh demo is seeded)`);
  } else {
    lines.push(`  Data:  ${s.databaseLabel}`);
    lines.push("  Reset: drop and recreate that database, then npm start again");
  }
  lines.push("  Stop:  Ctrl+C", "");
  return `${lines.join("\n")}\n`;
}

const dataDirOf = (dir: string) => (dir.startsWith("memory://") ? dir : resolve(dir));

/** `npm start`: migrate, seed the demo when the database is empty, serve with the worker in-process. */
export function registerStart(program: Command): void {
  program
    .command("start")
    .description(
      "migrate + seed-demo (empty database only) + serve + worker in one process (what `npm start` runs)",
    )
    .action(async () => {
      const started = performance.now();
      await withContext(async (ctx) => {
        await migrate(ctx.database);
        const [accounts] = await ctx.db.select({ n: count() }).from(users);
        // Demo data comes through the offline payments simulator; with real payments there is none.
        const fresh = (accounts?.n ?? 0) === 0 && ctx.config.paymentsMode === "offline";
        if (fresh) {
          process.stderr.write("Empty database: seeding the demo shop (12 months of history)…\n");
          const progress = createProgress({ title: "seed-demo", unit: "steps" });
          await seedDemo(ctx, { onProgress: (done, total, step) => progress.update(done, step, total) });
          progress.finish();
        }
        const running = await runServer(ctx, { worker: true });
        const demo = (await countDemoUsers(ctx)) > 0;
        process.stdout.write(
          startSummary({
            url: running.url,
            dataDir: ctx.database.kind === "pglite" ? dataDirOf(ctx.config.dataDir) : undefined,
            databaseLabel: ctx.database.label,
            logins: demo ? DEMO_USERS : [],
            seconds: (performance.now() - started) / 1000,
            seeded: fresh,
          }),
        );
        await waitForShutdown(ctx, running);
      });
    });
}
