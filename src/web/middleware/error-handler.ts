import type { Context } from "hono";
import { databaseUnavailable } from "../../db/client.ts";
import { AppError } from "../../shared/errors.ts";
import type { AppEnv } from "../request-context.ts";
import { wantsHtml } from "../route-access.ts";
import { ErrorPage } from "../views/error-page.tsx";

/** One place maps errors to responses. Unknown errors: 500 with the request id and no detail. */
/** Postgres refusing a text value (a NUL byte, an invalid sequence) is bad input, not our failure. */
const BAD_TEXT_SQLSTATES = new Set(["22021", "22P05"]);

function badTextInput(err: unknown): AppError | null {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 3;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === "string" && BAD_TEXT_SQLSTATES.has(e.code)) {
      return new AppError(
        "request.invalid_text",
        "The request contains characters that cannot be stored",
        400,
      );
    }
  }
  return null;
}

/** Seconds a client is asked to wait before retrying while the database cannot be used. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/**
 * The database could not serve the request (down, restarting, out of connections, the connection
 * lost under it): 503 with Retry-After, logged as a warning with its reason, not as our bug.
 */
function unavailable(err: Error, c: Context<AppEnv>): AppError | null {
  const reason = databaseUnavailable(err);
  if (reason === undefined) return null;
  c.get("logger")?.warn({ reason, requestId: c.get("requestId") }, "database unavailable");
  c.header("Retry-After", String(UNAVAILABLE_RETRY_AFTER_S));
  return new AppError(
    "database.unavailable",
    "The database cannot be reached right now. Try again in a moment.",
    503,
  );
}

export function handleError(thrown: Error, c: Context<AppEnv>): Response | Promise<Response> {
  // Found by the form fuzz suite: a NUL byte in a path id reached Postgres and answered 500.
  const err = badTextInput(thrown) ?? unavailable(thrown, c) ?? thrown;
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
