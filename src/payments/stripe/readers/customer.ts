import { PayloadShapeError, record, requiredText, text, unix } from "./billing-fields.ts";

/** A Customer of any API version, in our shape (the fields the shop keeps). */
export interface CustomerRead {
  id: string;
  email: string | null;
  name: string | null;
  country: string | null;
  created: Date;
  livemode: boolean;
  /** A `customer.deleted` payload, or a deleted customer returned by the API. */
  deleted: boolean;
}

export function readCustomer(raw: unknown): CustomerRead {
  const c = record(raw);
  if (!c) throw new PayloadShapeError("customer is not an object");
  const id = requiredText(c, "id", "customer");
  const created = unix(c.created);
  const deleted = c.deleted === true;
  if (created === null && !deleted) throw new PayloadShapeError(`customer ${id} has no created`);
  return {
    id,
    email: text(c.email),
    name: text(c.name),
    country: text(record(c.address)?.country),
    created: created ?? new Date(0),
    livemode: c.livemode === true,
    deleted,
  };
}
