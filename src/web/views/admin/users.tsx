import { type PublicUser, ROLES, type SessionUser } from "../../../auth/index.ts";
import { dateTime } from "../components/format.ts";
import { Layout } from "../layout.tsx";
import { CreateTokenForm, CreateUserForm, NewTokenPanel } from "./users-forms.tsx";

export interface UsersPageProps {
  user: SessionUser | null;
  csrfToken: string;
  users: PublicUser[];
  notice?: string;
  error?: string;
  /** A freshly created API token: shown once, never stored in clear. */
  newToken?: { id: number; token: string; name: string };
}

export function UsersPage(props: UsersPageProps) {
  return (
    <Layout title="Users" user={props.user} csrfToken={props.csrfToken} path="/admin/users">
      <div class="page-head">
        <div>
          <h1>Users</h1>
          <p class="muted">Staff and customer logins. Every change here is written to the audit log.</p>
        </div>
      </div>
      {props.error ? (
        <p class="alert alert-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.notice ? (
        <p class="alert alert-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.newToken ? <NewTokenPanel token={props.newToken} /> : null}
      <section class="panel">
        <h2>Accounts</h2>
        <UsersTable users={props.users} me={props.user} csrfToken={props.csrfToken} />
      </section>
      <div class="grid two">
        <CreateUserForm csrfToken={props.csrfToken} />
        <CreateTokenForm csrfToken={props.csrfToken} />
      </div>
    </Layout>
  );
}

function UsersTable(props: { users: PublicUser[]; me: SessionUser | null; csrfToken: string }) {
  return (
    <div class="table-wrap">
      <table class="users-table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => {
            const self = u.id === props.me?.id;
            return (
              <tr data-user-id={u.id}>
                <td>
                  <strong>{u.displayName}</strong>
                  {self ? <span class="badge info">you</span> : null}
                  {u.isDemo ? <span class="badge">demo</span> : null}
                  <br />
                  <span class="muted">{u.email}</span>
                </td>
                <td>
                  <form method="post" action={`/admin/users/${u.id}/role`} class="form inline compact">
                    <input type="hidden" name="_csrf" value={props.csrfToken} />
                    <label class="visually-hidden" for={`role-${u.id}`}>
                      Role of {u.displayName}
                    </label>
                    <select id={`role-${u.id}`} name="role">
                      {ROLES.map((r) => (
                        <option value={r} selected={r === u.role}>
                          {r}
                        </option>
                      ))}
                    </select>
                    <button type="submit" class="button small">
                      Change role
                    </button>
                  </form>
                </td>
                <td>
                  <span class={`badge ${u.active ? "active" : "canceled"}`}>
                    {u.active ? "active" : "deactivated"}
                  </span>
                </td>
                <td class="num">{dateTime(u.lastLoginAt)}</td>
                <td>
                  {self ? (
                    <span class="muted">—</span>
                  ) : (
                    <form method="post" action={`/admin/users/${u.id}/active`}>
                      <input type="hidden" name="_csrf" value={props.csrfToken} />
                      <input type="hidden" name="active" value={u.active ? "false" : "true"} />
                      <button
                        type="submit"
                        class={`button small${u.active ? " danger" : ""}`}
                        data-confirm={
                          u.active ? `Deactivate ${u.displayName}? Their sessions end now.` : undefined
                        }
                      >
                        {u.active ? "Deactivate" : "Reactivate"}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
