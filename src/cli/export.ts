import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "../audit/index.ts";
import {
  checkExportRequest,
  directorySink,
  exportPack,
  PACK_FILES,
  PACK_NAMES,
  type PackSink,
  zipSink,
} from "../exports/index.ts";
import { DAY_FLAG_HELP, daySchema } from "../shared/dates.ts";
import { createProgress, type Progress } from "./progress.ts";
import { EXIT_USAGE, fail, parseFlags, printJson, printTable, withContext } from "./run.ts";

const flagsSchema = z.object({
  from: daySchema,
  to: daySchema,
  out: z.string().min(1, "expected a directory"),
  pii: z.boolean().optional(),
  zip: z.boolean().optional(),
  json: z.boolean().optional(),
});

export function registerExport(program: Command): void {
  program
    .command("export")
    .description(
      "write the finance, ops or BI export pack (CSV files + manifest.json) to a directory or a zip",
    )
    .argument("<pack>", `one of ${PACK_NAMES.join(", ")}`)
    .requiredOption("--from <day>", `first reporting day, ${DAY_FLAG_HELP}`)
    .requiredOption("--to <day>", `last reporting day, ${DAY_FLAG_HELP} (inclusive)`)
    .requiredOption("--out <dir>", "directory to write into (created if missing)")
    .option("--pii", "bi only: add customer e-mail and name to dim_customer (audited)")
    .option("--zip", "write <out>/<pack>_<from>_<to>.zip instead of loose files")
    .option("--json", "print the manifest as JSON")
    .action(async (pack: string, raw) => {
      const flags = parseFlags(flagsSchema, raw);
      const name = PACK_NAMES.find((p) => p === pack);
      if (!name) fail(`pack: expected one of ${PACK_NAMES.join(", ")}, got "${pack}"`, EXIT_USAGE);
      const request = { pack: name, from: flags.from, to: flags.to, pii: flags.pii === true };
      try {
        checkExportRequest(request);
      } catch (err) {
        const field = (err as { details?: { field?: string } }).details?.field;
        fail(`--${field ?? "from"}: ${(err as Error).message.replace(/^\w+: /, "")}`, EXIT_USAGE);
      }
      await withContext(async (ctx) => {
        let target = flags.out;
        let sink: Awaited<ReturnType<typeof directorySink>>;
        if (flags.zip) {
          await mkdir(flags.out, { recursive: true });
          target = join(flags.out, `${name}_${flags.from}_${flags.to}${request.pii ? "_pii" : ""}.zip`);
          sink = zipSink(createWriteStream(target), ctx.clock.now());
        } else {
          sink = await directorySink(flags.out);
        }
        // The pack's files and its manifest.
        const progress = createProgress({
          title: `export ${name}`,
          unit: "files",
          total: PACK_FILES[name].length + 1,
          json: flags.json,
        });
        const manifest = await exportPack(ctx, request, countingSink(sink, progress), cliActor);
        progress.finish(`written to ${target}`);
        if (flags.json) printJson({ ...manifest, written_to: target });
        else {
          printTable(manifest.files.map((f) => ({ file: f.name, rows: f.rows, bytes: f.bytes })));
          process.stdout.write(
            `wrote ${name} pack (${manifest.period.from}..${manifest.period.to}) to ${target}\n`,
          );
        }
      });
    });
}

/** The sink as it was, reporting each file and the bytes written so far to `progress`. */
function countingSink(sink: PackSink, progress: Progress): PackSink {
  let files = 0;
  let bytes = 0;
  const mb = () => `${(bytes / 1_048_576).toFixed(1)} MB`;
  return {
    format: sink.format,
    async addFile(name, content) {
      progress.update(files, `${name}, ${mb()} written`);
      async function* counted() {
        for await (const chunk of content) {
          bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
          progress.update(files, `${name}, ${mb()} written`);
          yield chunk;
        }
      }
      const written = await sink.addFile(name, counted());
      files += 1;
      progress.update(files, `${name}, ${mb()} written`);
      return written;
    },
    close: () => sink.close(),
  };
}
