import type { Context, Handler, Hono, MiddlewareHandler } from "hono";
import { can, type Permission } from "../auth/index.ts";
import { AppError } from "../shared/errors.ts";
import type { AppEnv } from "./request-context.ts";

/** `public`: anyone; `signed_in`: any role; otherwise a permission from the RBAC policy. */
export type Access = "public" | "signed_in" | Permission;
type Method = "GET" | "POST";

export interface RouteDef {
  method: Method;
  path: string;
  access: Access;
}

export class AuthRequiredError extends AppError {
  constructor() {
    super("auth.required", "Sign in to continue", 401);
  }
}

/**
 * Pages send anonymous visitors to the login form instead of a bare 401; the JSON API and Stripe's
 * endpoint (`POST /webhooks/stripe`) do not. The stored-events pages under /webhooks/events are pages.
 */
export function wantsHtml(c: Context): boolean {
  return !c.req.path.startsWith("/api/") && !c.req.path.startsWith("/webhooks/stripe");
}

export function requireAccess(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access === "public") return next();
    const principal = c.get("principal");
    if (!principal) {
      if (wantsHtml(c) && c.req.method === "GET") {
        return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 302);
      }
      throw new AuthRequiredError();
    }
    if (access !== "signed_in" && !can(principal.role, access)) {
      throw new AppError("auth.forbidden", "You do not have permission to do that", 403);
    }
    return next();
  };
}

/**
 * Every route is declared with its access rule; the RBAC test enumerates `app.routes` and fails on
 * any route that was registered without going through here.
 */
export class Router {
  readonly routes: RouteDef[] = [];
  constructor(private readonly app: Hono<AppEnv>) {}

  get(path: string, access: Access, ...handlers: Handler<AppEnv>[]): this {
    return this.add("GET", path, access, handlers);
  }

  post(path: string, access: Access, ...handlers: Handler<AppEnv>[]): this {
    return this.add("POST", path, access, handlers);
  }

  private add(method: Method, path: string, access: Access, handlers: Handler<AppEnv>[]): this {
    this.routes.push({ method, path, access });
    this.app.on(method, path, requireAccess(access), ...(handlers as MiddlewareHandler<AppEnv>[]));
    return this;
  }
}
