import { stockStatus } from "../../../catalog/index.ts";
import type { WishlistEntry } from "../../../orders/index.ts";
import { Csrf, Price, StockBadge } from "./components.tsx";

export function WishlistView(props: { entries: WishlistEntry[]; csrfToken: string; canBuy: boolean }) {
  return (
    <>
      <div class="page-head">
        <h1>Wishlist</h1>
      </div>
      {props.entries.length === 0 ? (
        <p class="panel muted">Nothing saved yet. Use “Save” on a product to keep it here.</p>
      ) : (
        <ul class="grid products wishlist" aria-label="Saved products">
          {props.entries.map(({ product: p }) => (
            <li class="card product-card">
              <div class="product-top">
                <span class="muted small">{p.category}</span>
                <StockBadge product={p} />
              </div>
              <h3>
                <a href={`/products/${p.id}`}>{p.name}</a>
              </h3>
              <Price amount={p.priceAmount} currency={p.currency} />
              <div class="actions">
                {props.canBuy && p.active && stockStatus(p) !== "out_of_stock" ? (
                  <form method="post" action="/wishlist/move-to-cart">
                    <Csrf token={props.csrfToken} />
                    <input type="hidden" name="productId" value={String(p.id)} />
                    <button type="submit" class="button primary small">
                      Move to cart<span class="visually-hidden"> {p.name}</span>
                    </button>
                  </form>
                ) : null}
                <form method="post" action="/wishlist/remove">
                  <Csrf token={props.csrfToken} />
                  <input type="hidden" name="productId" value={String(p.id)} />
                  <button type="submit" class="button small">
                    Remove<span class="visually-hidden"> {p.name}</span>
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
