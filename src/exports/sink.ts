import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Readable, type Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { constants } from "node:zlib";
import { ZipFile } from "yazl";

/** Chunks of a file's content, produced on demand. */
export type ByteSource = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/** Where a pack's files go: a directory or a zip stream. Files are written one at a time, in order. */
export interface PackSink {
  readonly format: "directory" | "zip";
  addFile(name: string, content: ByteSource): Promise<WrittenFile>;
  close(): Promise<void>;
}

/** Hash and measure bytes as they pass, so the manifest describes exactly what was written. */
async function* measured(
  content: ByteSource,
  into: { bytes: number; hash: ReturnType<typeof createHash> },
): AsyncGenerator<Buffer> {
  for await (const chunk of content) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    into.hash.update(bytes);
    into.bytes += bytes.length;
    yield bytes;
  }
}

/**
 * A zip streamed into `out` (yazl: each entry deflated as it is read, sizes and CRC in a data
 * descriptor after it, ZIP64 only when an entry needs it). Every step is a pipe, so the content is
 * only pulled as fast as `out` drains: a slow download holds back the database reads, nothing piles
 * up in memory. A content source that fails, or an `out` that closes early (client gone), fails the
 * file; the zip is then never ended, so a cut download cannot pass for a short but valid archive.
 */
export function zipSink(out: Writable, modified: Date): PackSink {
  const zip = new ZipFile();
  let failure: Error | null = null;
  const gone = new Promise<never>((_, reject) => {
    const fail = (err: Error) => {
      failure ??= err;
      reject(failure);
    };
    zip.on("error", fail);
    out.once("error", fail);
    out.once("close", () => {
      if (!out.writableFinished) fail(new Error("zip: output closed"));
    });
  });
  gone.catch(() => {});
  (zip.outputStream as Readable).pipe(out);
  const entryOptions = {
    mtime: asLocalFields(modified),
    // The DOS date and time fields only, as before (no extended timestamp field).
    forceDosTimestamp: true,
    // Fastest deflate level: export CSVs come out about 12 % bigger than at the default level, for
    // less CPU on a large export (a million-line BI pack: 2 CPU seconds of 28).
    compressionLevel: constants.Z_BEST_SPEED,
  };
  return {
    format: "zip",
    async addFile(name, content) {
      if (failure) throw failure;
      const meter = { bytes: 0, hash: createHash("sha256") };
      const source = Readable.from(measured(content, meter), { objectMode: false });
      zip.addReadStreamLazy(name, entryOptions, (callback) => callback(null, source));
      // The source ends once its last byte is in the zip's pipeline; the next entry starts after it.
      try {
        await Promise.race([finished(source), gone]);
      } catch (err) {
        // Stop the source (a database cursor closes) instead of leaving it suspended.
        source.destroy();
        throw err;
      }
      return { bytes: meter.bytes, sha256: meter.hash.digest("hex") };
    },
    async close() {
      if (failure) throw failure;
      zip.end();
      await Promise.race([once(out, "finish"), gone]);
    },
  };
}

/**
 * ZIP headers store MS-DOS local date and time fields, and the library reads them from a Date's
 * local fields: shift the instant so that its local fields are its UTC fields, whatever the
 * process's time zone (an archive's times read the same on every machine).
 */
function asLocalFields(d: Date): Date {
  const shifted = new Date(d.getTime() + d.getTimezoneOffset() * 60_000);
  return new Date(d.getTime() + shifted.getTimezoneOffset() * 60_000);
}

/** Files written into `dir` (created if missing; files of the same name are replaced). */
export async function directorySink(dir: string): Promise<PackSink> {
  await mkdir(dir, { recursive: true });
  return {
    format: "directory",
    async addFile(name, content) {
      const meter = { bytes: 0, hash: createHash("sha256") };
      const file = createWriteStream(join(dir, name));
      try {
        for await (const bytes of measured(content, meter)) {
          if (!file.write(bytes)) await once(file, "drain");
        }
      } finally {
        file.end();
        await once(file, "close");
      }
      return { bytes: meter.bytes, sha256: meter.hash.digest("hex") };
    },
    close: async () => {},
  };
}
