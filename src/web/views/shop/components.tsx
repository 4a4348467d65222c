import { availableUnits, type Product, type StockStatus, stockStatus } from "../../../catalog/index.ts";
import { formatMoney } from "../../../shared/money.ts";
import { day } from "../components/format.ts";

const STOCK_LABEL: Record<StockStatus, string> = {
  in_stock: "In stock",
  low_stock: "Low stock",
  preorder: "Preorder",
  out_of_stock: "Sold out",
};

export function StockBadge(props: { product: Product }) {
  const status = stockStatus(props.product);
  const p = props.product;
  const detail =
    status === "low_stock"
      ? `Only ${p.stockOnHand} left`
      : status === "preorder" && p.preorderShipDate
        ? `Preorder · ships ${day(p.preorderShipDate)}`
        : STOCK_LABEL[status];
  return <span class={`badge ${status.replace("_", "-")}`}>{detail}</span>;
}

export function Price(props: { amount: number; currency: string }) {
  return <span class="price num">{formatMoney(props.amount, props.currency)}</span>;
}

/** Hidden CSRF field every POST form carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

export function AddToCartForm(props: { product: Product; csrfToken: string; compact?: boolean }) {
  const p = props.product;
  const soldOut = stockStatus(p) === "out_of_stock";
  const max = availableUnits(p);
  const fieldId = `qty-${p.id}`;
  return (
    <form method="post" action="/cart/add" class="form inline add-to-cart">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="productId" value={String(p.id)} />
      <label for={fieldId} class={props.compact ? "visually-hidden" : undefined}>
        Quantity
      </label>
      <input
        id={fieldId}
        type="number"
        name="quantity"
        value="1"
        min="1"
        max={String(Math.min(max ?? 100, 100))}
        inputmode="numeric"
        class="qty"
        disabled={soldOut}
      />
      <button type="submit" class="button primary small" disabled={soldOut}>
        {stockStatus(p) === "preorder" ? "Preorder" : "Add to cart"}
        <span class="visually-hidden"> {p.name}</span>
      </button>
    </form>
  );
}

export function WishlistButton(props: { product: Product; csrfToken: string; wished: boolean }) {
  const action = props.wished ? "/wishlist/remove" : "/wishlist/add";
  return (
    <form method="post" action={action} class="wish-form">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="productId" value={String(props.product.id)} />
      <button type="submit" class="link-button wish" aria-pressed={props.wished ? "true" : "false"}>
        {props.wished ? "♥ Saved" : "♡ Save"}
        <span class="visually-hidden"> {props.product.name} to wishlist</span>
      </button>
    </form>
  );
}

/** The product's picture: an uploaded photo, or its generated artwork; the URL changes with the product. */
export function productImageUrl(p: Pick<Product, "id" | "updatedAt">): string {
  return `/products/${p.id}/image?v=${p.updatedAt.getTime()}`;
}

export function ProductImage(props: { product: Product; size?: "card" | "large" }) {
  const p = props.product;
  const large = props.size === "large";
  return (
    <img
      class={large ? "product-image large" : "product-image"}
      src={productImageUrl(p)}
      alt={large ? p.name : ""}
      width={large ? "480" : "400"}
      height={large ? "360" : "300"}
      decoding="async"
    />
  );
}

export interface Viewer {
  canBuy: boolean;
  canWish: boolean;
  csrfToken: string;
  wished: Set<number>;
}

export function ProductCard(props: { product: Product; viewer: Viewer }) {
  const p = props.product;
  const v = props.viewer;
  return (
    <article class="card product-card" aria-labelledby={`p-${p.id}`}>
      <ProductImage product={p} />
      <div class="product-top">
        <span class="muted small">{p.category}</span>
        <StockBadge product={p} />
      </div>
      <h3 id={`p-${p.id}`}>
        <a href={`/products/${p.id}`}>{p.name}</a>
      </h3>
      <p class="muted clamp">{p.description}</p>
      <div class="product-bottom">
        <Price amount={p.priceAmount} currency={p.currency} />
        {v.canWish ? (
          <WishlistButton product={p} csrfToken={v.csrfToken} wished={v.wished.has(p.id)} />
        ) : null}
      </div>
      {v.canBuy ? <AddToCartForm product={p} csrfToken={v.csrfToken} compact /> : null}
    </article>
  );
}
