import type { Readable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { CsvDecimal, type CsvValue, csvCell, csvRow, csvStream } from "./csv.ts";

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

describe("csvCell", () => {
  it.each<[string, CsvValue, string]>([
    ["a formula, neutralised then quoted", '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ["a negative number, kept numeric", -5, "-5"],
    ["a string that looks negative, neutralised", "-5", "'-5"],
    ["a leading plus", "+1", "'+1"],
    ["a leading at", "@SUM(A1)", "'@SUM(A1)"],
    ["a leading tab", "\tx", "'\tx"],
    ["a leading CR, neutralised and quoted", "\rx", `"'\rx"`],
    ["an equals sign that is not first", "a=b", "a=b"],
    ["a comma", "a,b", `"a,b"`],
    ["an embedded LF", "line 1\nline 2", `"line 1\nline 2"`],
    ["an embedded CRLF", "line 1\r\nline 2", `"line 1\r\nline 2"`],
    ["quotes", 'say "hi"', `"say ""hi"""`],
    ["UTF-8 text", "Zoë — 東京 🚀", "Zoë — 東京 🚀"],
    ["an empty string", "", ""],
    ["null", null, ""],
    ["zero", 0, "0"],
    ["a decimal", 12.5, "12.5"],
    ["a boolean", true, "true"],
    ["a date, as ISO 8601 UTC", new Date("2026-01-02T03:04:05Z"), "2026-01-02T03:04:05.000Z"],
  ])("writes %s", (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("writes a pre-formatted decimal verbatim, so a negative amount stays numeric", () => {
    expect(csvCell(new CsvDecimal("-15.00"))).toBe("-15.00");
    expect(csvCell("-15.00")).toBe("'-15.00");
    expect(() => new CsvDecimal("=1+1")).toThrow(RangeError);
  });

  it("refuses NaN and infinities", () => {
    expect(() => csvCell(Number.NaN)).toThrow(RangeError);
    expect(() => csvCell(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("csvRow", () => {
  it("joins cells with commas and ends with CRLF", () => {
    expect(csvRow(["ch_1", -5, "a,b", null, "=1+1"])).toBe(`ch_1,-5,"a,b",,'=1+1\r\n`);
  });
});

describe("csvStream", () => {
  it("writes the header then every row, from an async source", async () => {
    async function* rows() {
      yield ["ch_1", 1200, "Zoë"];
      yield ["ch_2", -300, "東京, Japan"];
    }
    const text = await readAll(csvStream(rows(), { header: ["id", "amount", "name"] }));
    expect(text).toBe(`id,amount,name\r\nch_1,1200,Zoë\r\nch_2,-300,"東京, Japan"\r\n`);
  });

  it("accepts a plain array and writes nothing for no rows and no header", async () => {
    expect(await readAll(csvStream([[1], [2]]))).toBe("1\r\n2\r\n");
    expect(await readAll(csvStream([]))).toBe("");
  });

  it("keeps multi-byte text intact across chunk boundaries", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [i, "東京 🚀"]);
    const text = await readAll(csvStream(rows));
    expect(text.split("\r\n")).toHaveLength(20_001);
    expect(text.endsWith("19999,東京 🚀\r\n")).toBe(true);
  });

  it("pulls rows only as the reader asks, and closes the source when the reader stops", async () => {
    let pulled = 0;
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          pulled += 1;
          yield [pulled, "row"];
        }
      } finally {
        closed = true;
      }
    }
    const stream = csvStream(endless());
    await new Promise((resolve) => setImmediate(resolve));
    expect(pulled).toBe(0);

    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break; // destroys the stream
    }
    // A row is at most ~12 bytes, so one 64 KiB chunk plus the stream's buffer is a few tens of
    // thousands of rows; an unbounded reader would never get here at all.
    expect(pulled).toBeLessThan(50_000);
    // Destroying runs the source's return() asynchronously.
    await vi.waitFor(() => expect(closed).toBe(true));
  });
});
