import { can, type Role } from "../../../auth/index.ts";
import type { Customer } from "../../../customers/index.ts";
import { customerKeyer } from "../../../exports/index.ts";

/** How a customer is named to a member of staff (docs/data_governance.md, "Customer profiles and search"). */
export interface CustomerIdentity {
  id: number;
  /** The real name, or a pseudonym. */
  name: string;
  /** null when the viewer may not see it, or the customer was anonymised. */
  email: string | null;
  country: string | null;
  /** The BI pack's `customer_key` for this customer: the same pseudonym an analyst joins on. */
  key: string;
  pseudonymised: boolean;
  anonymisedAt: Date | null;
}

/** Roles that serve customers (`customers.pii`: ops, admin) see names and e-mails; the rest see pseudonyms. */
export function seesCustomerPii(role: Role | null | undefined): boolean {
  return can(role, "customers.pii");
}

/**
 * A customer as the viewer may see them. An anonymised customer shows only its stored pseudonym, to
 * everyone. Without `customers.pii` the name is `Customer <first 8 of the BI key>` and the e-mail is
 * withheld (the country stays: the BI pack's `dim_customer` has it too).
 */
export function identityOf(
  customer: Customer,
  viewer: { pii: boolean; keyOf: (id: number) => string },
): CustomerIdentity {
  const key = viewer.keyOf(customer.id);
  const base = { id: customer.id, key, anonymisedAt: customer.anonymizedAt };
  if (customer.anonymizedAt)
    return { ...base, name: customer.name, email: null, country: null, pseudonymised: true };
  if (!viewer.pii)
    return {
      ...base,
      name: `Customer ${key.slice(0, 8)}`,
      email: null,
      country: customer.country,
      pseudonymised: true,
    };
  return {
    ...base,
    name: customer.name,
    email: customer.email,
    country: customer.country,
    pseudonymised: false,
  };
}

/** The viewer's side of identityOf, made once per request. */
export function identityViewer(secret: string, role: Role | null | undefined) {
  const keyer = customerKeyer(secret);
  return { pii: seesCustomerPii(role), keyOf: (id: number) => keyer(id)! };
}
