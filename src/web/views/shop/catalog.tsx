import type { CatalogPage, Product } from "../../../catalog/index.ts";
import { FieldError, type FormError, LabelledInput } from "../components/labelled-input.tsx";
import { Pagination } from "../components/pagination.tsx";
import {
  AddToCartForm,
  Price,
  ProductCard,
  ProductImage,
  StockBadge,
  type Viewer,
  WishlistButton,
} from "./components.tsx";

/** The filters as typed (strings), so a refused value is shown back beside its error. */
export interface CatalogFilters {
  q?: string;
  category?: string;
  min?: string;
  max?: string;
}

/** A storefront link with these filters and page: every filter lives in the URL, so links can be shared. */
export function catalogHref(filters: CatalogFilters, page = 1): string {
  const params = new URLSearchParams();
  for (const key of ["q", "category", "min", "max"] as const) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

function CatalogFilterForm(props: { filters: CatalogFilters; categories: string[]; error?: FormError }) {
  const f = props.filters;
  const categoryInvalid = props.error?.field === "category";
  return (
    <form method="get" action="/" class="form inline catalog-filters" aria-label="Search products">
      <LabelledInput
        label="Search"
        labelClass="grow"
        type="search"
        name="q"
        value={f.q ?? ""}
        placeholder="Name, SKU or description"
        maxlength={100}
        error={props.error}
      />
      <label>
        Category
        <select
          name="category"
          aria-invalid={categoryInvalid ? "true" : undefined}
          aria-describedby={categoryInvalid ? "category-error" : undefined}
        >
          <option value="">All categories</option>
          {props.categories.map((c) => (
            <option value={c} selected={c === f.category}>
              {c}
            </option>
          ))}
        </select>
        <FieldError field="category" id="category-error" error={props.error} />
      </label>
      {(["min", "max"] as const).map((bound) => (
        <LabelledInput
          label={bound === "min" ? "Min price" : "Max price"}
          name={bound}
          value={f[bound] ?? ""}
          inputmode="decimal"
          placeholder={bound === "min" ? "0.00" : "any"}
          class="price-input"
          error={props.error}
        />
      ))}
      <button type="submit" class="button primary">
        Apply
      </button>
      <a class="button" href="/">
        Clear
      </a>
    </form>
  );
}

export function CatalogView(props: {
  result: CatalogPage;
  filters: CatalogFilters;
  viewer: Viewer;
  signedIn: boolean;
  error?: { field: string | null; message: string };
}) {
  const { result, filters } = props;
  const filtered = Boolean(filters.q || filters.category || filters.min || filters.max);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Shop</h1>
          <p class="muted" aria-live="polite">
            {result.total} {result.total === 1 ? "product" : "products"}
            {filtered ? (result.total === 1 ? " matches" : " match") : ""}
          </p>
        </div>
        {props.signedIn ? null : (
          <p class="muted">
            <a href="/login">Sign in</a> or <a href="/signup">create an account</a> to buy or keep a wishlist.
          </p>
        )}
      </div>
      <CatalogFilterForm filters={filters} categories={result.categories} error={props.error} />
      {props.error && !["q", "category", "min", "max"].includes(props.error.field ?? "") ? (
        <p class="alert alert-error" id={`${props.error.field ?? "query"}-error`} role="alert">
          {props.error.field ? `${props.error.field}: ` : ""}
          {props.error.message} <a href={catalogHref(filters)}>Start again from the first page</a>.
        </p>
      ) : null}
      {props.error ? (
        <p class="panel muted">Fix the filter above to see products.</p>
      ) : result.products.length === 0 ? (
        <p class="panel muted">
          {filtered ? (
            <>
              No products match these filters. <a href="/">Show every product</a>.
            </>
          ) : (
            "No products for sale yet."
          )}
        </p>
      ) : (
        <>
          <section class="grid products" aria-label="Products">
            {result.products.map((p) => (
              <ProductCard product={p} viewer={props.viewer} />
            ))}
          </section>
          {result.total > result.pageSize ? (
            <Pagination
              page={result.page}
              pageSize={result.pageSize}
              total={result.total}
              href={(page) => catalogHref(filters, page)}
            />
          ) : null}
        </>
      )}
    </>
  );
}

export function ProductView(props: { product: Product; viewer: Viewer; signedIn: boolean }) {
  const p = props.product;
  const v = props.viewer;
  return (
    <article class="panel product-detail">
      <p class="muted">
        <a href="/">Shop</a> / <a href={catalogHref({ category: p.category })}>{p.category}</a>
      </p>
      <div class="product-layout">
        <ProductImage product={p} size="large" />
        <div>
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
          {props.signedIn ? null : <SignInToBuy productId={p.id} />}
        </div>
      </div>
    </article>
  );
}

/** Logged-out visitors see the price and this prompt instead of a buy button; sign-in comes back here. */
export function SignInToBuy(props: { productId: number }) {
  const next = encodeURIComponent(`/products/${props.productId}`);
  return (
    <div class="sign-in-to-buy">
      <a class="button primary" href={`/login?next=${next}`}>
        Sign in to buy
      </a>
      <span class="muted">
        New here? <a href={`/signup?next=${next}`}>Create an account</a>
      </span>
    </div>
  );
}
