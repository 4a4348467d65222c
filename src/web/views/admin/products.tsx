import type { Product } from "../../../catalog/index.ts";
import type { stockMovements } from "../../../catalog/schema.ts";
import { formatMoney, toDecimalString } from "../../../shared/money.ts";
import { Alert } from "../components/alert.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { dateTime } from "../components/format.ts";
import { Csrf, StockBadge } from "../shop/components.tsx";
import { ProductImagePanel } from "./product-image-form.tsx";

type Movement = typeof stockMovements.$inferSelect;

const PRODUCT_COLUMNS: Column<Product>[] = [
  { header: "SKU", cell: (p) => <code>{p.sku}</code> },
  { header: "Name", cell: (p) => <a href={`/admin/products/${p.id}`}>{p.name}</a> },
  { header: "Price", numeric: true, cell: (p) => formatMoney(p.priceAmount, p.currency) },
  {
    header: "Unit cost",
    numeric: true,
    cell: (p) => (p.unitCostAmount === null ? "—" : formatMoney(p.unitCostAmount, p.currency)),
  },
  { header: "On hand", numeric: true, cell: (p) => p.stockOnHand },
  { header: "Availability", cell: (p) => <StockBadge product={p} /> },
  { header: "Active", cell: (p) => (p.active ? "yes" : <span class="badge canceled">inactive</span>) },
];

const MOVEMENT_COLUMNS: Column<Movement>[] = [
  { header: "When", cell: (m) => dateTime(m.at) },
  { header: "Reason", cell: (m) => m.reason },
  { header: "Change", numeric: true, cell: (m) => (m.delta > 0 ? `+${m.delta}` : m.delta) },
  { header: "Note", cell: (m) => m.note ?? (m.orderId ? `order #${m.orderId}` : "") },
];

export function AdminProductsView(props: { products: Product[]; notice?: string }) {
  return (
    <>
      <div class="page-head">
        <h1>Catalog</h1>
        <a class="button primary" href="/admin/products/new">
          New product
        </a>
      </div>
      {props.notice ? <Alert kind="ok">{props.notice}</Alert> : null}
      <DataTable
        panel
        caption="All products, active and inactive"
        captionHidden
        columns={PRODUCT_COLUMNS}
        rows={props.products}
      />
    </>
  );
}

function Field(props: {
  name: string;
  label: string;
  value?: string;
  type?: string;
  hint?: string;
  required?: boolean;
}) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        required={props.required}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint ? (
        <small id={`${id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

function Check(props: { name: string; label: string; checked: boolean }) {
  return (
    <label class="check">
      <input type="checkbox" name={props.name} checked={props.checked} /> {props.label}
    </label>
  );
}

export function ProductForm(props: { product?: Product; csrfToken: string }) {
  const p = props.product;
  const money = (n: number | null | undefined) =>
    n === null || n === undefined ? "" : toDecimalString(n, p?.currency ?? "usd");
  return (
    <form method="post" action={p ? `/admin/products/${p.id}` : "/admin/products"} class="form product-form">
      <Csrf token={props.csrfToken} />
      {p ? null : (
        <Field
          name="sku"
          label="SKU"
          required
          hint="Letters, digits, dot, dash, underscore; cannot change later."
        />
      )}
      <Field name="name" label="Name" value={p?.name} required />
      <div class="field">
        <label for="f-description">Description</label>
        <textarea id="f-description" name="description" rows={3}>
          {p?.description ?? ""}
        </textarea>
      </div>
      <Field name="category" label="Category" value={p?.category ?? "General"} />
      <Field
        name="price"
        label="Price"
        value={money(p?.priceAmount)}
        required
        hint="In the currency's major unit, e.g. 12.50"
      />
      <Field name="currency" label="Currency" value={p?.currency ?? "usd"} required />
      <Field
        name="unitCost"
        label="Unit cost (for margin)"
        value={money(p?.unitCostAmount)}
        hint="Leave empty when unknown"
      />
      {p ? null : <Field name="stockOnHand" label="Initial stock" type="number" value="0" />}
      <Check name="allowPreorder" label="Allow preorder when sold out" checked={p?.allowPreorder ?? false} />
      <Field
        name="preorderLimit"
        label="Preorder limit (units below zero)"
        type="number"
        value={p?.preorderLimit?.toString()}
        hint="Empty: no limit"
      />
      <Field
        name="preorderShipDate"
        label="Expected ship date"
        type="date"
        value={p?.preorderShipDate ?? ""}
      />
      <Check name="active" label="Active (for sale)" checked={p?.active ?? true} />
      <button type="submit" class="button primary">
        {p ? "Save changes" : "Create product"}
      </button>
    </form>
  );
}

export function AdminProductView(props: {
  product: Product;
  movements: Movement[];
  csrfToken: string;
  notice?: string;
  imageRefusal?: string;
}) {
  const p = props.product;
  return (
    <>
      <div class="page-head">
        <h1>{p.name}</h1>
        <StockBadge product={p} />
      </div>
      {props.notice ? <Alert kind="ok">{props.notice}</Alert> : null}
      <div class="grid two">
        <section class="panel" aria-labelledby="edit-h">
          <h2 id="edit-h">Details</h2>
          <ProductForm product={p} csrfToken={props.csrfToken} />
        </section>
        <section class="panel" aria-labelledby="stock-h">
          <h2 id="stock-h">Stock: {p.stockOnHand} on hand</h2>
          <form method="post" action={`/admin/products/${p.id}/stock`} class="form">
            <Csrf token={props.csrfToken} />
            <Field name="delta" label="Change (units, + received / − removed)" type="number" required />
            <Field name="reason" label="Reason" required hint="Recorded in the audit log" />
            <button type="submit" class="button">
              Adjust stock
            </button>
          </form>
          <h3>Recent movements</h3>
          <DataTable columns={MOVEMENT_COLUMNS} rows={props.movements} />
        </section>
        <ProductImagePanel product={p} csrfToken={props.csrfToken} refusal={props.imageRefusal} />
      </div>
    </>
  );
}
