import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import type { Product } from "../../catalog/index.ts";
import { auditLog } from "../../db/schema.ts";
import type { AppEnv } from "../request-context.ts";

let dir: string;
let ctx: TestContext;
let app: Hono<AppEnv>;
let ops: TestClient;
let shopper: TestClient;
let mug: Product;

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);

function upload(
  client: TestClient,
  productId: number,
  bytes: Uint8Array,
  name = "photo.png",
  csrf = client.csrf,
) {
  const form = new FormData();
  form.set("_csrf", csrf);
  form.set("image", new File([bytes as Uint8Array<ArrayBuffer>], name, { type: "image/png" }));
  return client.request(`/admin/products/${productId}/image`, { method: "POST", body: form });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "product-images-"));
  ({ ctx, app } = await createTestApp([], { env: { PRODUCT_IMAGES_DIR: dir } }));
  mug = await makeProduct(ctx.db, { name: "Enamel mug" });
  ({ client: ops } = await signedInClient(app, ctx, "ops"));
  ({ client: shopper } = await signedInClient(app, ctx, "customer"));
}, 60_000);
afterAll(async () => {
  await ctx.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe("product image upload", () => {
  it("keeps a PNG for the product, serves it as image/png and audits the upload", async () => {
    const res = await upload(ops, mug.id, PNG);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/products/${mug.id}?notice=image#image-h`);
    const image = await ops.get(`/products/${mug.id}/image`);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);
    const [entry] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "product.image_upload"), eq(auditLog.targetId, String(mug.id))));
    expect(entry?.after).toMatchObject({ type: "image/png", bytes: PNG.length });
    const page = await (await ops.get(`/admin/products/${mug.id}?notice=image`)).text();
    expect(page).toContain("Picture uploaded.");
  });

  it("judges the type by the bytes, not the name, and refuses a file over 2 MB", async () => {
    const gif = new TextEncoder().encode("GIF89a-not-a-png");
    const refused = await upload(ops, mug.id, gif, "looks-fine.png");
    expect(refused.headers.get("location")).toBe(`/admin/products/${mug.id}?image=type#image-h`);
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG);
    expect((await upload(ops, mug.id, big)).headers.get("location")).toBe(
      `/admin/products/${mug.id}?image=size#image-h`,
    );
    const page = await (await ops.get(`/admin/products/${mug.id}?image=type`)).text();
    expect(page).toContain("must be a PNG, JPEG or WebP image");
    // Still the first upload.
    expect((await ops.get(`/products/${mug.id}/image`)).headers.get("content-type")).toBe("image/png");
  });

  it("answers 400 naming the field for a body far over the limit", async () => {
    const huge = new Uint8Array(3 * 1024 * 1024);
    const res = await upload(ops, mug.id, huge);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("image: must be at most 2 MB");
  });

  it("is for ops with a CSRF token only", async () => {
    expect((await upload(shopper, mug.id, PNG)).status).toBe(403);
    expect((await upload(ops, mug.id, PNG, "photo.png", "forged")).status).toBe(403);
  });
});
