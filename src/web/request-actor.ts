import type { Context } from "hono";
import type { Actor } from "../audit/index.ts";
import type { AppEnv } from "./request-context.ts";

/** The audit actor for the caller of this request: a signed-in user or an API token. */
export function actorFrom(c: Context<AppEnv>): Actor {
  const principal = c.get("principal");
  const requestId = c.get("requestId");
  const ipHash = c.get("ipHash");
  if (principal?.kind === "token") {
    return { type: "api_token", id: String(principal.tokenId), role: principal.role, requestId, ipHash };
  }
  const user = c.get("user");
  return { type: "user", id: user ? String(user.id) : null, role: user?.role ?? null, requestId, ipHash };
}
