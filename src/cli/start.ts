import type { Command } from "commander";
import { count } from "drizzle-orm";
import { migrate } from "../db/migrate.ts";
import { users } from "../db/schema.ts";
import { seedDemo } from "../demo/seed.ts";
import { DEMO_USERS } from "../demo/users.ts";
import { withContext } from "./run.ts";
import { runServer, waitForShutdown } from "./serve.ts";

/** `npm start`: migrate, seed the demo when the database is empty, serve with the worker in-process. */
export function registerStart(program: Command): void {
  program
    .command("start")
    .description(
      "migrate + seed-demo (empty database only) + serve + worker in one process (what `npm start` runs)",
    )
    .action(async () => {
      await withContext(async (ctx) => {
        await migrate(ctx.database);
        const [accounts] = await ctx.db.select({ n: count() }).from(users);
        // Demo data comes through the offline payments simulator; with real payments there is none.
        const fresh = (accounts?.n ?? 0) === 0 && ctx.config.paymentsMode === "offline";
        if (fresh) await seedDemo(ctx, { progress: process.stdout.isTTY === true });
        const running = await runServer(ctx, { worker: true });
        process.stdout.write(
          `\nRevenue Intelligence is running at ${running.url}  (database: ${ctx.database.label})\n`,
        );
        if (fresh) {
          process.stdout.write("\nDemo logins (shown once; see docs/demo_walkthrough.md):\n");
          for (const u of DEMO_USERS)
            process.stdout.write(`  ${u.role.padEnd(9)} ${u.email}  /  ${u.password}\n`);
        }
        process.stdout.write("\nPress Ctrl+C to stop.\n");
        await waitForShutdown(ctx, running);
      });
    });
}
