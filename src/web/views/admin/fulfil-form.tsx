import { SHIPPING_COUNTRIES, type Shipment, type ShippingAddress } from "../../../orders/index.ts";
import { Csrf } from "../shop/components.tsx";

/** Carriers offered in the form (free text is accepted too, through the list's suggestions). */
const CARRIERS = ["UPS", "FedEx", "USPS", "DHL", "Royal Mail", "DPD", "La Poste"];

/** The address an order ships to, as a postal block. */
export function AddressBlock(props: { address: ShippingAddress }) {
  const a = props.address;
  const country = SHIPPING_COUNTRIES[a.country as keyof typeof SHIPPING_COUNTRIES] ?? a.country;
  return (
    <address class="address">
      {a.name}
      <br />
      {a.line1}
      {a.line2 ? (
        <>
          <br />
          {a.line2}
        </>
      ) : null}
      <br />
      {[a.city, a.state, a.postalCode].filter(Boolean).join(", ")}
      <br />
      {country}
    </address>
  );
}

/** Shipping facts on the ops order page: where it goes and, once shipped, the parcel. */
export function ShippingFacts(props: { address?: ShippingAddress; shipment?: Shipment }) {
  return (
    <>
      {/* The address block's look lives with the storefront's styles. */}
      <link rel="stylesheet" href="/assets/shop.css" />
      <dl class="facts">
        <dt>Ship to</dt>
        <dd>
          {props.address ? (
            <AddressBlock address={props.address} />
          ) : (
            <span class="muted">No address given</span>
          )}
        </dd>
        {props.shipment ? (
          <>
            <dt>Carrier</dt>
            <dd>{props.shipment.carrier}</dd>
            <dt>Tracking</dt>
            <dd>
              <code>{props.shipment.trackingNumber}</code>
            </dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

/** Mark a paid order fulfilled: a reason for the audit log, and the parcel's carrier and tracking number. */
export function FulfilForm(props: { action: string; csrfToken: string }) {
  return (
    <form method="post" action={props.action} class="form ops-action">
      <Csrf token={props.csrfToken} />
      <label for="fulfill-carrier">Carrier</label>
      <input id="fulfill-carrier" name="carrier" list="carriers" maxlength={60} autocomplete="off" />
      <datalist id="carriers">
        {CARRIERS.map((c) => (
          <option value={c} />
        ))}
      </datalist>
      <label for="fulfill-tracking">Tracking number</label>
      <input
        id="fulfill-tracking"
        name="trackingNumber"
        maxlength={64}
        pattern="[A-Za-z0-9 \-]*"
        aria-describedby="fulfill-tracking-hint"
        autocomplete="off"
      />
      <small id="fulfill-tracking-hint" class="muted">
        Both or neither: the customer sees them on their order page.
      </small>
      <label for="fulfill-reason">Reason</label>
      <input id="fulfill-reason" name="reason" required minlength={3} maxlength={500} />
      <button type="submit" class="button primary">
        Mark fulfilled
      </button>
    </form>
  );
}
