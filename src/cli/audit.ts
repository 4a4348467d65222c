import type { Command } from "commander";
import { verifyAuditChain } from "../audit/index.ts";
import { fail, printJson, withContext } from "./run.ts";

export function registerAudit(program: Command): void {
  const group = program.command("audit").description("the hash-chained audit log");
  group
    .command("verify")
    .description("recompute the hash chain; exit 1 naming the first edited, deleted or reordered row")
    .option("--json", "print the result as JSON")
    .action(async (opts: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const result = await verifyAuditChain(ctx.db);
        if (opts.json) printJson(result);
        if (!result.ok) fail(`audit chain broken at ${result.firstBreak!.message}`);
        if (!opts.json) process.stdout.write(`audit chain intact: ${result.rows} row(s) verified\n`);
      });
    });
}
