import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { hmac, randomToken, safeEqual } from "../../auth/index.ts";
import { AppError } from "../../shared/errors.ts";
import type { AppEnv } from "../env.ts";

const SEED_COOKIE = "ri_csrf";
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

/** New seed (at login/logout), so a token captured before sign-in is worthless after. */
export function rotateCsrfSeed(c: Context<AppEnv>): void {
  const seed = randomToken(18);
  const { config } = c.get("ctx");
  setCookie(c, SEED_COOKIE, seed, {
    httpOnly: true,
    sameSite: "Lax",
    secure: config.secureCookies,
    path: "/",
  });
  c.set("csrfToken", hmac(config.sessionSecret, `csrf:${seed}`));
}

/**
 * Synchronizer token bound to an HttpOnly seed cookie: forms send `_csrf`, htmx sends `X-CSRF-Token`.
 * Exempt: the Stripe webhook (signed) and bearer-token API calls (no ambient cookie authority).
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { config } = c.get("ctx");
    let seed = getCookie(c, SEED_COOKIE);
    if (!seed) {
      rotateCsrfSeed(c);
    } else {
      c.set("csrfToken", hmac(config.sessionSecret, `csrf:${seed}`));
    }
    if (
      !UNSAFE.has(c.req.method) ||
      c.req.path === "/webhooks/stripe" ||
      c.get("principal")?.kind === "token"
    ) {
      return next();
    }
    seed ??= "";
    let sent = c.req.header("x-csrf-token");
    if (!sent) {
      const type = c.req.header("content-type") ?? "";
      if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
        const body = await c.req.parseBody();
        sent = typeof body._csrf === "string" ? body._csrf : undefined;
      }
    }
    const expected = hmac(config.sessionSecret, `csrf:${seed}`);
    if (!seed || !sent || !safeEqual(sent, expected)) throw new CsrfError();
    return next();
  };
}
