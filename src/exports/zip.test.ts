import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readZip } from "../../tests/support/export-read.ts";
import { zipSink } from "./sink.ts";

async function zipOf(entries: Array<[string, Array<string | Buffer>]>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const zip = zipSink(out, new Date("2026-06-15T12:00:00Z"));
  for (const [name, parts] of entries) await zip.addFile(name, parts);
  await zip.close();
  return Buffer.concat(chunks);
}

describe("zipSink", () => {
  it("writes an archive that unzip lists and tests, with UTF-8 names and empty entries", async () => {
    const big = "x,y\r\n".repeat(200_000);
    const zip = await zipOf([
      ["a.csv", ["id,name\r\n", "1,Zoë\r\n"]],
      ["empty.csv", []],
      ["größe.csv", [big]],
    ]);
    const dir = mkdtempSync(join(tmpdir(), "zip-test-"));
    const file = join(dir, "pack.zip");
    writeFileSync(file, zip);
    const listing = execFileSync("unzip", ["-l", file]).toString();
    // "id,name\r\n" is 9 bytes, "1,Zoë\r\n" 8 (ë takes two bytes in UTF-8).
    expect(listing).toMatch(/\s17\s+2026-06-15 12:00\s+a\.csv/);
    expect(listing).toMatch(/\s0\s+2026-06-15 12:00\s+empty\.csv/);
    expect([...readZip(zip).keys()]).toEqual(["a.csv", "empty.csv", "größe.csv"]);
    expect(listing).toMatch(/\s1000000\s+2026-06-15/); // 200,000 × 5 bytes
    // -t decompresses every entry and checks its CRC-32.
    expect(execFileSync("unzip", ["-t", file]).toString()).toContain("No errors detected");
  });

  it("round-trips content through a manual central-directory parse", async () => {
    const zip = await zipOf([["one.txt", [Buffer.from("hello "), "world"]]]);
    const files = readZip(zip);
    expect([...files.keys()]).toEqual(["one.txt"]);
    expect(files.get("one.txt")!.toString()).toBe("hello world");
    // The central directory's CRC is that of the uncompressed bytes.
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const central = zip.readUInt32LE(eocd + 16);
    expect(zip.readUInt32LE(central + 16)).toBe(crc32(Buffer.from("hello world")));
  });

  it("fails the entry when its source fails, instead of writing a silently short file", async () => {
    const out = new PassThrough();
    out.resume();
    const zip = zipSink(out, new Date());
    async function* broken() {
      yield "a";
      throw new Error("database went away");
    }
    await expect(zip.addFile("x.csv", broken())).rejects.toThrow("database went away");
  });
});
