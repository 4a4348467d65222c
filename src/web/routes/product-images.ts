import { getProduct, storeProductImage } from "../../catalog/index.ts";
import type { AppContext } from "../../context.ts";
import { NotFoundError, ValidationError } from "../../shared/errors.ts";
import { actorFrom } from "../request-actor.ts";
import type { Router } from "../route-access.ts";
import type { ImageRefusal } from "../views/admin/product-image-form.tsx";
import { idParam } from "./shop-input.ts";

/** Which fixed refusal text a refused upload gets (the page shows our words, never the request's). */
function refusalOf(err: ValidationError): ImageRefusal {
  if (err.message.includes("2 MB")) return "size";
  if (err.message.includes("choose a file")) return "empty";
  return "type";
}

/** Ops upload a product photo (multipart, CSRF-checked by the middleware, audited by the catalog). */
export function registerProductImageRoutes(r: Router, ctx: AppContext): void {
  r.post("/admin/products/:id/image", "catalog.manage", async (c) => {
    const id = idParam(c.req.param("id"));
    const product = id === null ? undefined : await getProduct(ctx, id);
    if (!product) throw new NotFoundError("Product");
    const back = `/admin/products/${product.id}`;
    try {
      const body = await c.req.parseBody();
      const file = body.image;
      const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
      await storeProductImage(ctx, product.id, bytes, actorFrom(c));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return c.redirect(`${back}?image=${refusalOf(err)}#image-h`, 303);
    }
    return c.redirect(`${back}?notice=image#image-h`, 303);
  });
}
