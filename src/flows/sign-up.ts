import type { Actor } from "../audit/index.ts";
import {
  assertEmailFree,
  createUser,
  openSignUpSession,
  reserveSignUpAttempt,
  type SessionUser,
  type SignUpInput,
  sessionUserOf,
  signUpSchema,
} from "../auth/index.ts";
import type { AppContext } from "../context.ts";
import { createCustomer } from "../customers/index.ts";
import { parseInput } from "../shared/validate.ts";

/**
 * A shopper signs up: the customer record and a customer login in one transaction (audited as
 * user.create by the visitor), then a session. Validation comes first (a typo costs no attempt);
 * then the attempt counts against the login throttle, so sign-up is as rate-limited as sign-in.
 */
export async function signUpShopper(
  ctx: AppContext,
  input: SignUpInput & { ip: string },
  actor: Actor,
): Promise<{ token: string; user: SessionUser }> {
  const data = parseInput(signUpSchema, input);
  const reservation = await reserveSignUpAttempt(ctx, { email: data.email, ip: input.ip });
  await assertEmailFree(ctx, data.email);
  const user = await ctx.db.transaction(async (tx) => {
    const inTx = { ...ctx, db: tx };
    const customer = await createCustomer(inTx, { email: data.email, name: data.name });
    return createUser(
      inTx,
      {
        email: data.email,
        password: data.password,
        role: "customer",
        displayName: data.name,
        customerId: customer.id,
      },
      actor,
    );
  });
  const token = await openSignUpSession(ctx, { userId: user.id, reservation });
  return { token, user: sessionUserOf(user) };
}
