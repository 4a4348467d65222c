import { type ApiTokenRow, type PublicUser, ROLES, type SessionUser } from "../../../auth/index.ts";
import { Notices } from "../components/alert.tsx";
import { DataTable } from "../components/data-table.tsx";
import { dateTime } from "../components/format.ts";
import { Layout } from "../layout.tsx";
import { CreateTokenForm, CreateUserForm, NewTokenPanel } from "./users-forms.tsx";

export interface UsersPageProps {
  user: SessionUser | null;
  csrfToken: string;
  users: PublicUser[];
  tokens: ApiTokenRow[];
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
      <Notices notice={props.notice} error={props.error} />
      {props.newToken ? <NewTokenPanel token={props.newToken} /> : null}
      <section class="panel">
        <h2>Accounts</h2>
        <UsersTable users={props.users} me={props.user} csrfToken={props.csrfToken} />
      </section>
      <section class="panel">
        <h2>API tokens</h2>
        <p class="muted">
          Bearer tokens open the read API (<code>GET /api/v1/…</code>) only. A token stops working when it is
          revoked, or when the admin who created it is deactivated or no longer an admin.
        </p>
        <TokensTable tokens={props.tokens} csrfToken={props.csrfToken} />
      </section>
      <div class="grid two">
        <CreateUserForm csrfToken={props.csrfToken} />
        <CreateTokenForm csrfToken={props.csrfToken} />
      </div>
    </Layout>
  );
}

function UsersTable(props: { users: PublicUser[]; me: SessionUser | null; csrfToken: string }) {
  const isMe = (u: PublicUser) => u.id === props.me?.id;
  return (
    <DataTable
      class="users-table"
      rows={props.users}
      rowAttributes={(u) => ({ "data-user-id": u.id })}
      columns={[
        {
          header: "User",
          cell: (u) => (
            <>
              <strong>{u.displayName}</strong>
              {isMe(u) ? <span class="badge info">you</span> : null}
              {u.isDemo ? <span class="badge">demo</span> : null}
              <br />
              <span class="muted">{u.email}</span>
            </>
          ),
        },
        { header: "Role", cell: (u) => <RoleForm user={u} csrfToken={props.csrfToken} /> },
        {
          header: "Status",
          cell: (u) => (
            <span class={`badge ${u.active ? "active" : "canceled"}`}>
              {u.active ? "active" : "deactivated"}
            </span>
          ),
        },
        { header: "Last sign-in", cellClass: "num", cell: (u) => dateTime(u.lastLoginAt) },
        {
          header: "Actions",
          cell: (u) =>
            isMe(u) ? <span class="muted">—</span> : <ActiveToggle user={u} csrfToken={props.csrfToken} />,
        },
      ]}
    />
  );
}

function RoleForm(props: { user: PublicUser; csrfToken: string }) {
  const u = props.user;
  return (
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
  );
}

function ActiveToggle(props: { user: PublicUser; csrfToken: string }) {
  const u = props.user;
  return (
    <form method="post" action={`/admin/users/${u.id}/active`}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="active" value={u.active ? "false" : "true"} />
      <button
        type="submit"
        class={`button small${u.active ? " danger" : ""}`}
        data-confirm={u.active ? `Deactivate ${u.displayName}? Their sessions end now.` : undefined}
      >
        {u.active ? "Deactivate" : "Reactivate"}
      </button>
    </form>
  );
}

function TokensTable(props: { tokens: ApiTokenRow[]; csrfToken: string }) {
  return (
    <DataTable
      class="tokens-table"
      rows={props.tokens}
      empty={<p class="muted">No API tokens yet.</p>}
      rowAttributes={(t) => ({ "data-token-id": t.id })}
      columns={[
        { header: "Name", cell: (t) => <strong>{t.name}</strong> },
        { header: "Role", cell: (t) => t.role },
        { header: "Created by", cell: (t) => t.createdBy ?? <span class="muted">CLI</span> },
        { header: "Created", cellClass: "num", cell: (t) => dateTime(t.createdAt) },
        { header: "Last used", cellClass: "num", cell: (t) => dateTime(t.lastUsedAt) },
        {
          header: "Status",
          cell: (t) =>
            t.revokedAt ? (
              <span class="badge canceled">revoked {dateTime(t.revokedAt)}</span>
            ) : (
              <form method="post" action={`/admin/tokens/${t.id}/revoke`}>
                <input type="hidden" name="_csrf" value={props.csrfToken} />
                <button
                  type="submit"
                  class="button small danger"
                  data-confirm={`Revoke the token "${t.name}"?`}
                >
                  Revoke
                </button>
              </form>
            ),
        },
      ]}
    />
  );
}
