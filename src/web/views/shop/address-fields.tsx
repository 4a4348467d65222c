import { SHIPPING_COUNTRIES } from "../../../orders/index.ts";

export interface AddressFormState {
  values: Record<string, string>;
  error?: { field: string | null; message: string };
}

const FIELDS: Array<{
  name: string;
  label: string;
  autocomplete: string;
  required?: boolean;
  wide?: boolean;
}> = [
  { name: "name", label: "Full name", autocomplete: "shipping name", required: true, wide: true },
  { name: "line1", label: "Address", autocomplete: "shipping address-line1", required: true, wide: true },
  { name: "line2", label: "Apartment, suite (optional)", autocomplete: "shipping address-line2", wide: true },
  { name: "city", label: "City", autocomplete: "shipping address-level2", required: true },
  { name: "state", label: "State / region (optional)", autocomplete: "shipping address-level1" },
  { name: "postalCode", label: "Postal code", autocomplete: "shipping postal-code" },
];

/** The shipping address fields of a checkout form, each with its own error beside it. */
export function AddressFields(props: { state: AddressFormState }) {
  const { values, error } = props.state;
  const errorOf = (name: string) => (error?.field === name ? error.message : null);
  const aria = (name: string) =>
    errorOf(name) ? { "aria-invalid": "true", "aria-describedby": `ship-${name}-error` } : {};
  const message = (name: string) =>
    errorOf(name) ? (
      <span class="field-error" id={`ship-${name}-error`} role="alert">
        {errorOf(name)}
      </span>
    ) : null;
  return (
    <fieldset class="address-fields">
      <legend>Shipping address</legend>
      {FIELDS.map((f) => (
        <div class={f.wide ? "field wide" : "field"}>
          <label for={`ship-${f.name}`}>{f.label}</label>
          <input
            id={`ship-${f.name}`}
            name={f.name}
            value={values[f.name] ?? ""}
            autocomplete={f.autocomplete}
            required={f.required ?? false}
            maxlength={f.name === "postalCode" ? 20 : 200}
            {...aria(f.name)}
          />
          {message(f.name)}
        </div>
      ))}
      <div class="field">
        <label for="ship-country">Country</label>
        <select
          id="ship-country"
          name="country"
          autocomplete="shipping country"
          required
          {...aria("country")}
        >
          {Object.entries(SHIPPING_COUNTRIES).map(([code, name]) => (
            <option value={code} selected={(values.country ?? "US") === code}>
              {name}
            </option>
          ))}
        </select>
        {message("country")}
      </div>
    </fieldset>
  );
}
