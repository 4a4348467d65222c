import { ROLES } from "../../../auth/index.ts";
import { Alert } from "../components/alert.tsx";

export function CreateUserForm(props: { csrfToken: string }) {
  return (
    <section class="panel">
      <h2>Create a user</h2>
      <form method="post" action="/admin/users" class="form">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <label for="new-email">E-mail</label>
        <input id="new-email" name="email" type="email" autocomplete="off" required />
        <label for="new-name">Display name</label>
        <input id="new-name" name="displayName" type="text" maxlength={100} />
        <label for="new-role">Role</label>
        <select id="new-role" name="role">
          {ROLES.map((r) => (
            <option value={r} selected={r === "analyst"}>
              {r}
            </option>
          ))}
        </select>
        <label for="new-password">Initial password</label>
        <input
          id="new-password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength={12}
          required
          aria-describedby="new-password-hint"
        />
        <p id="new-password-hint" class="muted hint">
          At least 12 characters. Share it privately; the user can sign in at once.
        </p>
        <button type="submit" class="button primary">
          Create user
        </button>
      </form>
    </section>
  );
}

export function CreateTokenForm(props: { csrfToken: string }) {
  return (
    <section class="panel">
      <h2>Create an API token</h2>
      <p class="muted">For the KPI API and scripts. The token is shown once; only its hash is kept.</p>
      <form method="post" action="/admin/tokens" class="form">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <label for="token-name">Name</label>
        <input id="token-name" name="name" type="text" maxlength={100} required placeholder="BI refresh" />
        <label for="token-role">Role</label>
        <select id="token-role" name="role">
          <option value="analyst">analyst (read)</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" class="button">
          Create token
        </button>
      </form>
    </section>
  );
}

export function NewTokenPanel(props: { token: { id: number; token: string; name: string } }) {
  return (
    <section class="panel token-once" aria-labelledby="token-title">
      <h2 id="token-title">API token “{props.token.name}” created</h2>
      <Alert kind="warn">Copy it now: it will not be shown again.</Alert>
      <label for="new-token">Token</label>
      <input id="new-token" class="token-value" type="text" readonly value={props.token.token} />
    </section>
  );
}
