import type { Context } from "hono";
import { z } from "zod";
import {
  createApiToken,
  createUser,
  listApiTokens,
  listUsers,
  ROLES,
  type Role,
  revokeApiToken,
  setUserActive,
  setUserRole,
} from "../../auth/index.ts";
import type { AppContext } from "../../context.ts";
import { AppError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validate.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { UsersPage } from "../views/admin/users.tsx";

/** Fixed messages only: nothing from the query string is echoed into the page. */
const NOTICES: Record<string, string> = {
  created: "User created.",
  role: "Role changed. The user's sessions ended so the new permissions apply at once.",
  deactivated: "User deactivated and signed out.",
  activated: "User reactivated.",
  revoked: "API token revoked. It stops working at once.",
};

const idParam = z.coerce.number().int().positive();
const roleForm = z.object({ role: z.enum(ROLES) });
const activeForm = z.object({ active: z.enum(["true", "false"]) });
const tokenForm = z.object({ name: z.string().trim().min(1).max(100), role: z.enum(["analyst", "admin"]) });

async function render(
  c: Context<AppEnv>,
  ctx: AppContext,
  extra: { error?: string; notice?: string; newToken?: { id: number; token: string; name: string } },
  status: 200 | 400 | 404 | 409 = 200,
) {
  const users = await listUsers(ctx);
  const tokens = await listApiTokens(ctx);
  return c.html(
    <UsersPage
      user={c.get("user")}
      csrfToken={c.get("csrfToken")}
      users={users}
      tokens={tokens}
      {...extra}
    />,
    status,
  );
}

/** Domain errors re-render the page with the message (and the same status); others bubble up. */
async function orError(c: Context<AppEnv>, ctx: AppContext, work: () => Promise<Response>) {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    return render(c, ctx, { error: err.message }, err.status as 400);
  }
}

export function registerUsersRoutes(r: Router, ctx: AppContext): void {
  r.get("/admin/users", "users.manage", (c) =>
    render(c, ctx, { notice: NOTICES[c.req.query("notice") ?? ""] }),
  );

  r.post("/admin/users", "users.manage", (c) =>
    orError(c, ctx, async () => {
      const body = await c.req.parseBody();
      const displayName =
        typeof body.displayName === "string" && body.displayName.trim() ? body.displayName : undefined;
      await createUser(
        ctx,
        {
          email: String(body.email ?? ""),
          password: String(body.password ?? ""),
          // createUser validates the role against ROLES (400 naming `role`).
          role: String(body.role ?? "") as Role,
          displayName,
        },
        actorFrom(c),
      );
      return c.redirect("/admin/users?notice=created", 303);
    }),
  );

  r.post("/admin/users/:id/role", "users.manage", (c) =>
    orError(c, ctx, async () => {
      const userId = parseInput(idParam, c.req.param("id"));
      const { role } = parseInput(roleForm, await c.req.parseBody());
      await setUserRole(ctx, { userId, role }, actorFrom(c));
      return c.redirect("/admin/users?notice=role", 303);
    }),
  );

  r.post("/admin/users/:id/active", "users.manage", (c) =>
    orError(c, ctx, async () => {
      const userId = parseInput(idParam, c.req.param("id"));
      const { active } = parseInput(activeForm, await c.req.parseBody());
      await setUserActive(ctx, { userId, active: active === "true" }, actorFrom(c));
      return c.redirect(`/admin/users?notice=${active === "true" ? "activated" : "deactivated"}`, 303);
    }),
  );

  r.post("/admin/tokens", "users.manage", (c) =>
    orError(c, ctx, async () => {
      const input = parseInput(tokenForm, await c.req.parseBody());
      const created = await createApiToken(
        ctx,
        { name: input.name, role: input.role, createdBy: c.get("user")?.id ?? null },
        actorFrom(c),
      );
      return render(c, ctx, { newToken: { ...created, name: input.name } });
    }),
  );

  r.post("/admin/tokens/:id/revoke", "users.manage", (c) =>
    orError(c, ctx, async () => {
      const tokenId = parseInput(idParam, c.req.param("id"));
      await revokeApiToken(ctx, tokenId, actorFrom(c));
      return c.redirect("/admin/users?notice=revoked", 303);
    }),
  );
}
