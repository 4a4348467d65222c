import type { Role, SessionUser } from "../auth/index.ts";
import type { AppContext } from "../context.ts";
import type { Logger } from "../shared/logger.ts";

/** Who is calling: a signed-in user (cookie session) or an API token (bearer). */
export type Principal =
  | { kind: "user"; role: Role; user: SessionUser }
  | { kind: "token"; role: Role; tokenId: number };

export interface AppEnv {
  Variables: {
    ctx: AppContext;
    requestId: string;
    logger: Logger;
    principal: Principal | null;
    /** The signed-in user, when the principal is a session. */
    user: SessionUser | null;
    csrfToken: string;
    ipHash: string;
  };
}
