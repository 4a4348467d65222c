import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { type Actor, audit } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import { AppError, NotFoundError, ValidationError } from "../shared/errors.ts";
import { products } from "./schema.ts";

export const MAX_PRODUCT_IMAGE_BYTES = 2 * 1024 * 1024;
export type ProductImageType = "image/png" | "image/jpeg" | "image/webp";

/**
 * The image type the bytes themselves say, by their magic numbers (never the file name or the
 * browser's Content-Type): PNG's 8-byte signature, JPEG's SOI marker, WebP's RIFF…WEBP header.
 */
export function sniffImageType(bytes: Uint8Array): ProductImageType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

function imagePath(ctx: ServiceContext, productId: number): string {
  const dir = ctx.config.productImagesDir;
  if (!dir) {
    throw new AppError(
      "product.image_storage",
      "Image uploads need PRODUCT_IMAGES_DIR (or an on-disk DATA_DIR)",
      409,
    );
  }
  return join(dir, `product-${productId}`);
}

/**
 * Keeps an uploaded image for a product: PNG, JPEG or WebP by magic bytes, at most 2 MB. The file is
 * written (to a temporary name, then renamed) inside the transaction that audits the upload and
 * bumps the product's `updatedAt` (the image URL carries it, so caches see the new picture).
 */
export async function storeProductImage(
  ctx: ServiceContext,
  productId: number,
  bytes: Uint8Array,
  actor: Actor,
): Promise<{ type: ProductImageType; bytes: number }> {
  if (bytes.length === 0) throw new ValidationError("image: choose a file to upload", "image");
  if (bytes.length > MAX_PRODUCT_IMAGE_BYTES)
    throw new ValidationError("image: must be at most 2 MB", "image");
  const type = sniffImageType(bytes);
  if (!type) throw new ValidationError("image: must be a PNG, JPEG or WebP image", "image");
  const path = imagePath(ctx, productId);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: products.id })
      .from(products)
      .where(eq(products.id, productId))
      .for("update");
    if (!row) throw new NotFoundError("Product");
    await tx.update(products).set({ updatedAt: now }).where(eq(products.id, productId));
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await audit(
      tx,
      actor,
      "product.image_upload",
      { type: "product", id: productId },
      { type, bytes: bytes.length, sha256 },
      null,
      now,
    );
    await mkdir(ctx.config.productImagesDir!, { recursive: true });
    const temporary = `${path}.${process.pid}.upload`;
    await writeFile(temporary, bytes);
    await rename(temporary, path).catch(async (err: unknown) => {
      await rm(temporary, { force: true });
      throw err;
    });
  });
  return { type, bytes: bytes.length };
}

/** The uploaded image of a product with its type (read from its bytes), or null when none was uploaded. */
export async function readProductImage(
  ctx: ServiceContext,
  productId: number,
): Promise<{ bytes: Uint8Array; type: ProductImageType } | null> {
  if (!ctx.config.productImagesDir) return null;
  const bytes = await readFile(imagePath(ctx, productId)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  const type = bytes ? sniffImageType(bytes) : null;
  return bytes && type ? { bytes: new Uint8Array(bytes), type } : null;
}
