import type { Context } from "hono";
import { AppError } from "../../shared/errors.ts";
import type { AppEnv } from "../env.ts";
import { wantsHtml } from "../router.ts";
import { ErrorPage } from "../views/error-page.tsx";

/** One place maps errors to responses. Unknown errors: 500 with the request id and no detail. */
export function handleError(err: Error, c: Context<AppEnv>): Response | Promise<Response> {
  const requestId = c.get("requestId") ?? "unknown";
  const known = err instanceof AppError;
  const status = known ? err.status : 500;
  const code = known ? err.code : "internal";
  const message = known ? err.message : "Something went wrong on our side.";
  if (!known) c.get("logger")?.error({ err, requestId }, "unhandled error");
  if (!wantsHtml(c) || c.req.header("accept")?.includes("application/json")) {
    const details = known && err.details ? { details: err.details } : {};
    return c.json({ error: { code, message, requestId, ...details } }, status as 400);
  }
  const showStack = !known && c.get("ctx")?.config.env === "development";
  return c.html(
    ErrorPage({ status, message, requestId, stack: showStack ? err.stack : undefined, user: c.get("user") }),
    status as 400,
  );
}
