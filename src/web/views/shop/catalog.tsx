import type { Product } from "../../../catalog/index.ts";
import { AddToCartForm, Price, ProductCard, StockBadge, type Viewer, WishlistButton } from "./components.tsx";

export function CatalogView(props: { products: Product[]; viewer: Viewer; signedIn: boolean }) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Shop</h1>
          <p class="muted">{props.products.length} products</p>
        </div>
        {props.signedIn ? null : (
          <p class="muted">
            <a href="/login">Sign in</a> to buy or keep a wishlist.
          </p>
        )}
      </div>
      {props.products.length === 0 ? (
        <p class="panel muted">No products for sale yet.</p>
      ) : (
        <section class="grid products" aria-label="Products">
          {props.products.map((p) => (
            <ProductCard product={p} viewer={props.viewer} />
          ))}
        </section>
      )}
    </>
  );
}

export function ProductView(props: { product: Product; viewer: Viewer }) {
  const p = props.product;
  const v = props.viewer;
  return (
    <article class="panel product-detail">
      <p class="muted">
        <a href="/">Shop</a> / {p.category}
      </p>
      <div class="page-head">
        <h1>{p.name}</h1>
        <StockBadge product={p} />
      </div>
      <p class="price-large">
        <Price amount={p.priceAmount} currency={p.currency} />
      </p>
      <p>{p.description}</p>
      <dl class="facts">
        <dt>SKU</dt>
        <dd>
          <code>{p.sku}</code>
        </dd>
        {p.allowPreorder ? (
          <>
            <dt>Preorder</dt>
            <dd>
              {p.preorderShipDate ? `Expected to ship ${p.preorderShipDate}` : "Available to preorder"}
              {p.preorderLimit !== null ? ` (up to ${p.preorderLimit} units)` : ""}
            </dd>
          </>
        ) : null}
      </dl>
      <div class="actions">
        {v.canBuy ? <AddToCartForm product={p} csrfToken={v.csrfToken} /> : null}
        {v.canWish ? (
          <WishlistButton product={p} csrfToken={v.csrfToken} wished={v.wished.has(p.id)} />
        ) : null}
      </div>
    </article>
  );
}
