/** A form's refusal: the field it names (null: the form as a whole) and the message to show. */
export interface FormError {
  field: string | null;
  message: string;
}

/** The error of `field`, shown beside it with the id its input's `aria-describedby` names. */
export function FieldError(props: { field: string; id: string; error?: FormError }) {
  if (props.error?.field !== props.field) return null;
  return (
    <span class="field-error" id={props.id} role="alert">
      {props.error.message}
    </span>
  );
}

/**
 * A labelled input with its hint and its error beside it; the input is marked invalid and described
 * by both. With an `id` the label names the input by it (stacked forms); without one the label wraps
 * the input (inline filter forms). The hint and error ids are `<id or name>-hint` and `-error`.
 */
export function LabelledInput(
  props: {
    label: string;
    name: string;
    id?: string;
    hint?: string;
    error?: FormError;
    /** The wrapping label's class (inline forms). */
    labelClass?: string;
  } & Record<string, string | number | boolean | undefined | FormError>,
) {
  const { label, name, id, hint, error, labelClass, ...attributes } = props;
  const base = id ?? name;
  const invalid = error?.field === name;
  const described = [hint ? `${base}-hint` : null, invalid ? `${base}-error` : null]
    .filter(Boolean)
    .join(" ");
  const aria = { "aria-invalid": invalid ? "true" : undefined, "aria-describedby": described || undefined };
  const after = (
    <>
      {hint ? (
        <small id={`${base}-hint`} class="muted">
          {hint}
        </small>
      ) : null}
      <FieldError field={name} id={`${base}-error`} error={error} />
    </>
  );
  if (id === undefined) {
    return (
      <label class={labelClass}>
        {label}
        <input name={name} {...attributes} {...aria} />
        {after}
      </label>
    );
  }
  return (
    <>
      <label for={id}>{label}</label>
      <input id={id} name={name} {...attributes} {...aria} />
      {after}
    </>
  );
}
