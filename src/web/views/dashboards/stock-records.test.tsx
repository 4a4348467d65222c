import fc from "fast-check";
import type { JSX } from "hono/jsx/jsx-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../../tests/support/context.ts";
import { listRecords, type RecordKpi } from "../../../analytics/index.ts";
import { cliActor } from "../../../audit/index.ts";
import { adjustStock, createProduct, reserveStock, returnStock } from "../../../catalog/index.ts";
import { StockTable } from "./stock-table.tsx";

/**
 * The stock table's cells (on hand, preorders, can still sell) open the product's stock movements;
 * on random runs of receipts, orders, releases, restocks and adjustments the rows add up to the cell
 * the table shows. What the stock should be is kept by the test itself from the moves the services
 * accepted, under the floor rule of docs/stock_rules.md.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const RANGE = { from: "2026-06-01", to: "2026-06-30" };
const render = async (node: JSX.Element) => (await node).toString();

type Move = { kind: "reserve" | "release" | "restock" | "adjust"; n: number };
const moveArb: fc.Arbitrary<Move> = fc.oneof(
  fc.record({ kind: fc.constantFrom("reserve" as const), n: fc.integer({ min: 1, max: 9 }) }),
  fc.record({
    kind: fc.constantFrom("release" as const, "restock" as const),
    n: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    kind: fc.constant("adjust" as const),
    n: fc.integer({ min: -8, max: 8 }).filter((n) => n !== 0),
  }),
);
const productArb = fc.record({
  opening: fc.integer({ min: 0, max: 12 }),
  preorder: fc.boolean(),
  limit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  moves: fc.array(moveArb, { maxLength: 14 }),
});

let keys = 0;
/** Plays the moves through the catalog services; the stock the floor rule allows after them. */
async function play(p: typeof productArb extends fc.Arbitrary<infer T> ? T : never) {
  const limit = p.preorder ? p.limit : null;
  const product = await createProduct(
    ctx,
    {
      sku: `STOCK-${++keys}`,
      name: `Stock ${keys}`,
      priceAmount: 1000,
      currency: "usd",
      stockOnHand: p.opening,
      allowPreorder: p.preorder,
      preorderLimit: limit,
    },
    cliActor,
  );
  const allowed = (after: number) => after >= 0 || (p.preorder && (limit === null || after >= -limit));
  let stock = p.opening;
  const at = ctx.clock.now();
  for (const move of p.moves) {
    if (move.kind === "reserve") {
      const done = await ctx.db.transaction((tx) =>
        reserveStock(tx, { productId: product.id, quantity: move.n, orderId: null, at }),
      );
      expect(done !== null).toBe(allowed(stock - move.n));
      if (done) stock -= move.n;
    } else if (move.kind === "adjust") {
      const ok = allowed(stock + move.n);
      const result = adjustStock(ctx, product.id, { delta: move.n, reason: "stock count" }, cliActor);
      if (ok) {
        await result;
        stock += move.n;
      } else await expect(result).rejects.toThrow(/cannot go that low/);
    } else {
      const key = `${move.kind}:test:${++keys}`;
      await ctx.db.transaction((tx) =>
        returnStock(tx, {
          productId: product.id,
          quantity: move.n,
          reason: move.kind as "release" | "restock",
          idempotencyKey: key,
          orderId: null,
          at,
        }),
      );
      stock += move.n;
    }
  }
  return { product: { ...product, stockOnHand: stock }, stock, limit };
}

describe("stock table cells open the stock movements that make them", () => {
  it("each linked cell's rows add up to the number it shows, on random stock histories", async () => {
    const linked = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(productArb, async (p) => {
        const { product, stock, limit } = await play(p);
        const html = await render(<StockTable products={[product]} currency="usd" range={RANGE} />);
        const cells = [...html.matchAll(/<td class="num">(.*?)<\/td>/g)].map((m) => m[1]!);
        // The three numbers the table shows, worked from the model: on hand, preorders, can still sell.
        const shown = [
          Math.max(0, stock),
          Math.max(0, -stock),
          !p.preorder ? stock : limit === null ? null : stock + limit,
        ];
        expect(cells.map((c) => c.replace(/<[^>]+>/g, ""))).toEqual(
          shown.map((n) => (n === null ? "no limit" : n.toLocaleString("en-US"))),
        );
        for (const cell of cells) {
          const href = /<a href="([^"]+)">/.exec(cell)?.[1]?.replaceAll("&amp;", "&");
          if (!href) continue;
          const url = new URL(href, "http://x");
          const kpi = url.pathname.split("/")[2] as RecordKpi;
          const page = await listRecords(ctx, {
            ...RANGE,
            currency: url.searchParams.get("currency")!,
            kpi,
            product: Number(url.searchParams.get("product")),
            limit: 500,
          });
          const figure = Number(cell.replace(/<[^>]+>/g, "").replaceAll(",", ""));
          const sum = page.rows.reduce((s, r) => s + r.value, 0);
          expect({ kpi, figure: page.figure, sum, result: page.totals!.result }).toEqual({
            kpi,
            figure,
            sum: figure,
            result: figure,
          });
          linked.set(kpi, (linked.get(kpi) ?? 0) + 1);
        }
        // Unlinked: the zero on the other side of zero, and "no limit".
        expect(cells[0]!.includes("<a ")).toBe(stock >= 0);
        expect(cells[1]!.includes("<a ")).toBe(stock < 0);
        expect(cells[2]!.includes("<a ")).toBe(shown[2] !== null);
      }),
      { numRuns: 40, seed: 20261204 },
    );
    // Every kind of cell was followed, preorders too.
    expect(Object.fromEntries(linked)).toEqual({
      stock_on_hand: expect.any(Number),
      stock_preorders: expect.any(Number),
      stock_available: expect.any(Number),
    });
  }, 120_000);
});
