import type { Command } from "commander";
import { z } from "zod";
import type { VerifyResult } from "../audit/index.ts";
import { verifyAuditChain } from "../audit/index.ts";
import { fail, parseFlags, printJson, withContext } from "./run.ts";

const verifyFlags = z
  .object({
    expectHash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "expected a 64-character hex hash (lastHash from `audit verify --json`)")
      .transform((s) => s.toLowerCase())
      .optional(),
    minSeq: z
      .string()
      .regex(/^[1-9]\d*$/, "expected a positive integer (lastSeq from `audit verify --json`)")
      .transform(Number)
      .pipe(z.number().int().max(Number.MAX_SAFE_INTEGER, "expected a positive integer"))
      .optional(),
    json: z.boolean().optional(),
  })
  .refine((f) => f.minSeq === undefined || f.expectHash !== undefined, {
    message: "needs --expect-hash (the hash recorded for that row)",
    path: ["minSeq"],
  });

/** The one-line summary of an intact (and, if asked, anchored) chain. */
export function describeVerify(result: VerifyResult): string {
  const last = result.lastSeq === null ? "empty" : `last #${result.lastSeq} ${result.lastHash}`;
  const line = `audit chain intact: ${result.rows} row(s) verified, ${last}`;
  return result.anchor ? `${line}\n${result.anchor.message}` : line;
}

export function registerAudit(program: Command): void {
  const group = program.command("audit").description("the hash-chained audit log");
  group
    .command("verify")
    .description(
      "recompute the hash chain; exit 1 naming the first edited, deleted or reordered row, or a recorded anchor the chain no longer holds",
    )
    .option("--expect-hash <hex>", "a lastHash recorded earlier: exit 1 unless the chain still holds it")
    .option("--min-seq <n>", "the lastSeq recorded with --expect-hash: that row must exist with that hash")
    .option("--json", "print the result as JSON")
    .action(async (raw) => {
      const flags = parseFlags(verifyFlags, raw);
      await withContext(async (ctx) => {
        const anchor = flags.expectHash ? { hash: flags.expectHash, seq: flags.minSeq } : undefined;
        const result = await verifyAuditChain(ctx, { anchor });
        if (flags.json) printJson(result);
        if (result.firstBreak) fail(`audit chain broken at ${result.firstBreak.message}`);
        if (!result.ok) fail(`audit chain fails its anchor: ${result.anchor!.message}`);
        if (!flags.json) process.stdout.write(`${describeVerify(result)}\n`);
      });
    });
}
