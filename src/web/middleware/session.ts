import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { resolveApiToken, resolveSession } from "../../auth/index.ts";
import type { Config } from "../../config/env.ts";
import type { AppEnv } from "../request-context.ts";

export function sessionCookieName(config: Config): string {
  // The __Host- prefix pins the cookie to this host and path and requires Secure.
  return config.secureCookies ? "__Host-ri_session" : "ri_session";
}

export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  const { config } = c.get("ctx");
  setCookie(c, sessionCookieName(config), token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: config.secureCookies,
    path: "/",
    maxAge: 12 * 60 * 60,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  const { config } = c.get("ctx");
  deleteCookie(c, sessionCookieName(config), { path: "/", secure: config.secureCookies });
}

export function readSessionToken(c: Context<AppEnv>): string | undefined {
  return getCookie(c, sessionCookieName(c.get("ctx").config));
}

/**
 * Bearer API tokens open the read API only (`GET /api/…`). Anywhere else the header is ignored and
 * the request is judged like any other (session cookie, CSRF), so a leaked token cannot create users,
 * mint tokens or download exports.
 */
function isTokenRoute(c: Context<AppEnv>): boolean {
  return (c.req.method === "GET" || c.req.method === "HEAD") && c.req.path.startsWith("/api/");
}

/**
 * Public files that look the same to everyone: nobody is looked up for them, so a page's stylesheets
 * and scripts cost no database read and still load when the database cannot be reached (the
 * "temporarily unavailable" page stays styled).
 */
const ANONYMOUS_PATHS = /^\/(assets\/[^/]+|healthz)$/;

/** Resolves the caller from a bearer API token (read API only) or the session cookie. */
export function loadPrincipal(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (ANONYMOUS_PATHS.test(c.req.path)) return next();
    const ctx = c.get("ctx");
    const auth = c.req.header("authorization");
    if (auth?.startsWith("Bearer ") && isTokenRoute(c)) {
      const token = await resolveApiToken(ctx, auth.slice(7).trim());
      if (token) c.set("principal", { kind: "token", role: token.role, tokenId: token.tokenId });
      return next();
    }
    const sessionToken = readSessionToken(c);
    if (sessionToken) {
      const user = await resolveSession(ctx, sessionToken);
      if (user) {
        c.set("user", user);
        c.set("principal", { kind: "user", role: user.role, user });
      }
    }
    return next();
  };
}
