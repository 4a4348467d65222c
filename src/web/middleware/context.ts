import { randomUUID } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { hmac } from "../../auth/index.ts";
import type { AppContext } from "../../context.ts";
import { clientAddress } from "../client-ip.ts";
import type { AppEnv } from "../request-context.ts";

/** Request id, per-request logger, hashed client IP; logs one line per request (no query, no PII; LOG_REQUESTS). */
export function requestContext(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    const logger = ctx.logger.child({ requestId });
    c.set("ctx", ctx);
    c.set("requestId", requestId);
    c.set("logger", logger);
    c.set("principal", null);
    c.set("user", null);
    c.set("ipHash", hmac(ctx.config.sessionSecret, `ip:${clientIp(c)}`));
    c.header("X-Request-Id", requestId);
    const started = performance.now();
    await next();
    // Quiet by default outside production (LOG_REQUESTS): a person at a terminal reads the rest.
    logger[ctx.config.logRequests ? "info" : "debug"](
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
  };
}

/** The client's address: the socket's peer, or what trusted proxies say (`TRUST_PROXY_HOPS`). */
export function clientIp(c: Context<AppEnv>): string {
  const hops = c.get("ctx").config.trustProxyHops;
  return clientAddress(socketAddress(c), c.req.header("x-forwarded-for"), hops);
}

function socketAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // app.request() in tests has no socket
  }
}
