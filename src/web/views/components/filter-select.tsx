/**
 * A labelled `<select>` of a GET filter form. `any` is the label of the "no filter" choice, sent
 * as `anyValue` (empty by default, so the filter drops out of the query).
 */
export function FilterSelect(props: {
  label: string;
  name: string;
  options: readonly (string | { value: string; label: string })[];
  selected: string | undefined;
  any?: string;
  anyValue?: string;
}) {
  const anyValue = props.anyValue ?? "";
  const selected = props.selected ?? anyValue;
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.any !== undefined && (
          <option value={anyValue} selected={selected === anyValue}>
            {props.any}
          </option>
        )}
        {props.options.map((o) => {
          const { value, label } = typeof o === "string" ? { value: o, label: o } : o;
          return (
            <option value={value} selected={selected === value}>
              {label}
            </option>
          );
        })}
      </select>
    </label>
  );
}
