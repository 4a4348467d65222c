import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { hmac, randomToken, safeEqual, sha256 } from "../../auth/index.ts";
import type { Config } from "../../config/env.ts";
import { AppError } from "../../shared/errors.ts";
import type { AppEnv } from "../request-context.ts";
import { readSessionToken } from "./session.ts";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class CsrfError extends AppError {
  constructor() {
    super(
      "auth.csrf",
      "The form expired or did not come from this site. Reload the page and try again.",
      403,
    );
  }
}

export function csrfCookieName(config: Config): string {
  // As for the session cookie: __Host- needs Secure and Path=/ and forbids Domain, so a sibling host
  // (or a plain-http answer on the way) cannot plant a seed of its choosing.
  return config.secureCookies ? "__Host-ri_csrf" : "ri_csrf";
}

/**
 * The token for a seed on a session: `HMAC(secret, seed + SHA-256 of the session id)`, or the seed
 * with no session for anonymous pages. A seed and token fetched anonymously (or on another session)
 * and planted on a signed-in browser do not pass.
 */
function tokenFor(secret: string, seed: string, sessionToken: string | undefined): string {
  return hmac(secret, `csrf:${seed}:${sessionToken ? sha256(sessionToken) : "anonymous"}`);
}

/** The session the request is signed in with, when it is one (the token is bound to it). */
function signedInSession(c: Context<AppEnv>): string | undefined {
  return c.get("user") ? readSessionToken(c) : undefined;
}

/**
 * New seed at login (pass the new session id) and logout (none), so a token captured before is
 * worthless after.
 */
export function rotateCsrfSeed(c: Context<AppEnv>, sessionToken?: string): void {
  const seed = randomToken(18);
  const { config } = c.get("ctx");
  setCookie(c, csrfCookieName(config), seed, {
    httpOnly: true,
    sameSite: "Lax",
    secure: config.secureCookies,
    path: "/",
  });
  c.set("csrfToken", tokenFor(config.sessionSecret, seed, sessionToken));
}

/**
 * Synchronizer token bound to an HttpOnly seed cookie and to the signed-in session: forms send
 * `_csrf`, htmx sends `X-CSRF-Token`. Runs after `loadPrincipal`.
 * Exempt: the Stripe webhook (signed) and bearer-token API calls (no ambient cookie authority).
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Neither carries ambient cookie authority nor renders a form: no check, and no seed cookie
    // (a Stripe delivery or an API client has no use for one, and minting it costs every request).
    if (c.req.path === "/webhooks/stripe" || c.get("principal")?.kind === "token") return next();
    const { config } = c.get("ctx");
    const session = signedInSession(c);
    let seed = getCookie(c, csrfCookieName(config));
    if (!seed) {
      rotateCsrfSeed(c, session);
    } else {
      c.set("csrfToken", tokenFor(config.sessionSecret, seed, session));
    }
    if (!UNSAFE.has(c.req.method)) return next();
    seed ??= "";
    let sent = c.req.header("x-csrf-token");
    if (!sent) {
      const type = c.req.header("content-type") ?? "";
      if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
        const body = await c.req.parseBody();
        sent = typeof body._csrf === "string" ? body._csrf : undefined;
      }
    }
    const expected = tokenFor(config.sessionSecret, seed, session);
    if (!seed || !sent || !safeEqual(sent, expected)) throw new CsrfError();
    return next();
  };
}
