import { Layout } from "./layout.tsx";

export interface SignUpFormState {
  values: { name?: string; email?: string };
  error?: { field: string | null; message: string };
}

function Field(props: {
  name: "name" | "email" | "password";
  label: string;
  type: string;
  autocomplete: string;
  value?: string;
  hint?: string;
  error?: SignUpFormState["error"];
}) {
  const id = `signup-${props.name}`;
  const invalid = props.error?.field === props.name;
  const described = [props.hint ? `${id}-hint` : null, invalid ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type}
        autocomplete={props.autocomplete}
        required
        value={props.value ?? ""}
        aria-invalid={invalid ? "true" : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint ? (
        <small id={`${id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
      {invalid ? (
        <span class="field-error" id={`${id}-error`} role="alert">
          {props.error!.message}
        </span>
      ) : null}
    </>
  );
}

export function SignUpPage(props: { csrfToken: string; next?: string; state?: SignUpFormState }) {
  const state = props.state ?? { values: {} };
  const general = state.error && !["name", "email", "password"].includes(state.error.field ?? "");
  const loginHref = props.next ? `/login?next=${encodeURIComponent(props.next)}` : "/login";
  return (
    <Layout title="Create an account" user={null} csrfToken={props.csrfToken}>
      <link rel="stylesheet" href="/assets/shop.css" />
      <section class="panel narrow">
        <h1>Create an account</h1>
        {general ? (
          <p class="alert alert-error" role="alert">
            {state.error!.message}
          </p>
        ) : null}
        <form method="post" action="/signup" class="form">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="next" value={props.next ?? ""} />
          <Field
            name="name"
            label="Your name"
            type="text"
            autocomplete="name"
            value={state.values.name}
            error={state.error}
          />
          <Field
            name="email"
            label="E-mail"
            type="email"
            autocomplete="email"
            value={state.values.email}
            error={state.error}
          />
          <Field
            name="password"
            label="Password"
            type="password"
            autocomplete="new-password"
            hint="At least 12 characters."
            error={state.error}
          />
          <button type="submit" class="button primary">
            Create account
          </button>
        </form>
        <p class="muted">
          Already have an account? <a href={loginHref}>Sign in</a>
        </p>
      </section>
    </Layout>
  );
}
