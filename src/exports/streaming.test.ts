import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeCharge } from "../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { makeSubscriptionWithHistory } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { readZip } from "../../tests/support/export-read.ts";
import type { Actor } from "../audit/index.ts";
import { text } from "./columns.ts";
import { exportPack, zipSink } from "./index.ts";
import { fileStream, type PackScope, packFile } from "./pack.ts";

const admin: Actor = { type: "user", id: "1", role: "admin" };
let ctx: TestContext;

async function biFiles(pageSize: number | undefined) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const manifest = await exportPack(
    ctx,
    { pack: "bi", from: "2026-06-01", to: "2026-06-07", pageSize },
    zipSink(out, ctx.clock.now()),
    admin,
  );
  return { manifest, files: readZip(Buffer.concat(chunks)) };
}

beforeAll(async () => {
  ctx = await createTestContext();
  const product = await makeProduct(ctx.db, { unitCostAmount: 250 });
  for (let i = 0; i < 7; i++) {
    const customer = await makeCustomer(ctx.db, { stripeCustomerId: `cus_heap_${i}` });
    await makeOrder(ctx.db, {
      customerId: customer.id,
      paidAt: `2026-06-0${i + 1}T09:00:00Z`,
      lines: [
        { productId: product.id, quantity: 1 + i, unitPrice: 1000, unitCost: 250 },
        { productId: product.id, quantity: 1, unitPrice: 1500 },
      ],
    });
    await makeCharge(ctx.db, { amount: 2500 + i * 1000, created: new Date(`2026-06-0${i + 1}T09:00:00Z`) });
    if (i < 3)
      await makeSubscriptionWithHistory(ctx.db, {
        customerId: customer.id,
        stripeCustomerId: `cus_heap_${i}`,
        unitAmount: 1900 + i * 1000,
        states: [{ at: `2026-06-0${i + 1}T08:00:00Z`, status: "active" }],
      });
  }
});
afterAll(() => ctx.destroy());

describe("exporting in small pages", () => {
  it("writes the same files, byte for byte, as one page per file", async () => {
    const plain = await biFiles(undefined);
    // Pages of 2 rows: every file crosses page boundaries while the next page is already asked for.
    const paged = await biFiles(2);
    expect(plain.manifest.files.find((f) => f.name === "fact_order_line.csv")!.rows).toBe(14);
    expect(paged.manifest.files).toEqual(plain.manifest.files);
    for (const [name, bytes] of plain.files) expect(paged.files.get(name)?.equals(bytes), name).toBe(true);
  });
});

/** Let every pending callback and stream event run, until nothing more happens. */
async function settle(progress: () => number): Promise<void> {
  let last = -1;
  let still = 0;
  while (still < 50) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = progress();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

describe("memory bounded by backpressure (no forced garbage collection)", () => {
  it("reads rows only as fast as the zip's reader takes the bytes", async () => {
    const TOTAL = 200_000;
    let produced = 0;
    // 200,000 rows of 40 hex digits each: 8.4 MB of CSV that deflate cannot shrink much.
    const big = packFile<{ value: string }>({
      name: "big.csv",
      columns: [text("value", (r) => r.value)],
      async *rows() {
        let seed = 1;
        for (let i = 0; i < TOTAL; i++) {
          let value = "";
          for (let j = 0; j < 5; j++) {
            seed = (seed * 1_103_515_245 + 12_345) >>> 0;
            value += seed.toString(16).padStart(8, "0");
          }
          produced += 1;
          yield { value };
        }
      },
    });
    const out = new PassThrough(); // nobody reads it yet: a client that stopped reading
    const sink = zipSink(out, new Date("2026-06-15T12:00:00Z"));
    const counter = { rows: 0 };
    const writing = sink.addFile("big.csv", fileStream(big, {} as PackScope, counter));

    await settle(() => produced);
    // Stalled after a few buffers' worth (CSV chunks, deflate's and the pipes' buffers: about
    // 9,400 rows, 400 kB on a quiet machine; up to about 23,000 when deflate's thread pool lags
    // behind on a loaded one), instead of the whole file (8.4 MB) piling up in memory.
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThan(TOTAL / 4);

    // Once the reader reads, the rest flows through and the file is complete.
    let bytes = 0;
    out.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    const written = await writing;
    await sink.close();
    expect(produced).toBe(TOTAL);
    expect(counter.rows).toBe(TOTAL);
    expect(written.bytes).toBe("value\r\n".length + TOTAL * 42);
    expect(bytes).toBeGreaterThan(0);
  }, 60_000);
});
