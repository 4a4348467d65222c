import type { SessionUser } from "../../auth/index.ts";
import { Alert } from "./components/alert.tsx";
import { Layout } from "./layout.tsx";

export function LoginPage(props: { csrfToken: string; next?: string; error?: string; email?: string }) {
  return (
    <Layout title="Sign in" user={null} csrfToken={props.csrfToken}>
      <section class="panel narrow">
        <h1>Sign in</h1>
        {props.error ? <Alert kind="error">{props.error}</Alert> : null}
        <form method="post" action="/login" class="form">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="next" value={props.next ?? ""} />
          <label for="email">E-mail</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={props.email ?? ""}
          />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit" class="button primary">
            Sign in
          </button>
        </form>
        <p class="muted">
          New here?{" "}
          <a href={props.next ? `/signup?next=${encodeURIComponent(props.next)}` : "/signup"}>
            Create an account
          </a>
        </p>
      </section>
    </Layout>
  );
}

export function SignedInPage(props: { user: SessionUser; csrfToken: string; home: string }) {
  return (
    <Layout title="Signed in" user={props.user} csrfToken={props.csrfToken}>
      <section class="panel narrow">
        <h1>You are signed in</h1>
        <p>
          Signed in as <strong>{props.user.displayName}</strong> ({props.user.role}).
        </p>
        <p>
          <a class="button primary" href={props.home}>
            Continue
          </a>
        </p>
      </section>
    </Layout>
  );
}
