import type { Product } from "../../../catalog/index.ts";
import { Alert } from "../components/alert.tsx";
import { Csrf, ProductImage } from "../shop/components.tsx";

/** Fixed refusal texts (the redirect names one by key, so a link cannot write on the page). */
export const IMAGE_REFUSALS = {
  size: "Image: must be at most 2 MB.",
  type: "Image: must be a PNG, JPEG or WebP image (checked from the file's contents).",
  empty: "Image: choose a file to upload.",
} as const;
export type ImageRefusal = keyof typeof IMAGE_REFUSALS;

export function ProductImagePanel(props: { product: Product; csrfToken: string; refusal?: string }) {
  const p = props.product;
  const refusal =
    props.refusal && Object.hasOwn(IMAGE_REFUSALS, props.refusal)
      ? IMAGE_REFUSALS[props.refusal as ImageRefusal]
      : null;
  return (
    <section class="panel" aria-labelledby="image-h">
      <h2 id="image-h">Picture</h2>
      <ProductImage product={p} size="large" />
      <form method="post" action={`/admin/products/${p.id}/image`} enctype="multipart/form-data" class="form">
        <Csrf token={props.csrfToken} />
        <label for="f-image">Upload a photo</label>
        <input
          id="f-image"
          name="image"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          required
          aria-describedby="f-image-hint"
          aria-invalid={refusal ? "true" : undefined}
        />
        <small id="f-image-hint" class="muted">
          PNG, JPEG or WebP, at most 2 MB. Without one, the shop shows a picture drawn from the name and
          category.
        </small>
        {refusal ? <Alert kind="error">{refusal}</Alert> : null}
        <button type="submit" class="button">
          Upload picture
        </button>
      </form>
    </section>
  );
}
