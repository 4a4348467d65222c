import { cliActor } from "../../src/audit/index.ts";
import type { Role } from "../../src/auth/index.ts";
import { createApiToken, createUser } from "../../src/auth/index.ts";
import type { AppContext } from "../../src/context.ts";
import { sessionCookieFor } from "../../tests/support/http.ts";

/** A staff login of `role` for the timed requests: its session cookie and an analyst API token. */
export async function benchReader(ctx: AppContext, role: Role): Promise<{ cookie: string; token: string }> {
  const user = await createUser(
    ctx,
    { email: `bench-${role}@example.test`, password: "x".repeat(16), role },
    cliActor,
  );
  const cookie = await sessionCookieFor(ctx, user.id);
  const { token } = await createApiToken(ctx, { name: "bench", role: "analyst", createdBy: null }, cliActor);
  return { cookie, token };
}
