import { Alert } from "./components/alert.tsx";
import { type FormError, LabelledInput } from "./components/labelled-input.tsx";
import { Layout } from "./layout.tsx";

export interface SignUpFormState {
  values: { name?: string; email?: string };
  error?: FormError;
}

/** The sign-up fields; the password is never shown back. */
const SIGN_UP_FIELDS = [
  { name: "name", label: "Your name", type: "text", autocomplete: "name" },
  { name: "email", label: "E-mail", type: "email", autocomplete: "email" },
  {
    name: "password",
    label: "Password",
    type: "password",
    autocomplete: "new-password",
    hint: "At least 12 characters.",
  },
] as const;

export function SignUpPage(props: { csrfToken: string; next?: string; state?: SignUpFormState }) {
  const state = props.state ?? { values: {} };
  const general = state.error && !["name", "email", "password"].includes(state.error.field ?? "");
  const loginHref = props.next ? `/login?next=${encodeURIComponent(props.next)}` : "/login";
  return (
    <Layout title="Create an account" user={null} csrfToken={props.csrfToken}>
      <link rel="stylesheet" href="/assets/shop.css" />
      <section class="panel narrow">
        <h1>Create an account</h1>
        {general ? <Alert kind="error">{state.error!.message}</Alert> : null}
        <form method="post" action="/signup" class="form">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="next" value={props.next ?? ""} />
          {SIGN_UP_FIELDS.map((field) => (
            <LabelledInput
              id={`signup-${field.name}`}
              required
              value={field.name === "password" ? "" : (state.values[field.name] ?? "")}
              error={state.error}
              {...field}
            />
          ))}
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
