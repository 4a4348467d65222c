import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { type ByteSource, ZipWriter } from "./zip.ts";

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

export function zipSink(out: Writable, modified: Date): PackSink {
  const zip = new ZipWriter(out, modified);
  return {
    format: "zip",
    async addFile(name, content) {
      const meter = { bytes: 0, hash: createHash("sha256") };
      await zip.addEntry(name, measured(content, meter));
      return { bytes: meter.bytes, sha256: meter.hash.digest("hex") };
    },
    close: () => zip.finish(),
  };
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
