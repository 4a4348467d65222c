import { eq } from "drizzle-orm";
import { z } from "zod";
import type { ServiceContext } from "../context.ts";
import { AppError } from "../shared/errors.ts";
import { loginThrottleKeys, reserveLoginAttempt, settleSuccessfulAttempt } from "./login-throttle.ts";
import { sessions, users } from "./schema.ts";
import { LoginError, SESSION_TTL_MS } from "./sessions.ts";
import { randomToken, sha256 } from "./tokens.ts";
import { createUserSchema, emailSchema } from "./users.ts";

/** What a shopper types to sign up: the same e-mail and password rules as staff accounts. */
export const signUpSchema = z.object({
  name: z.string().trim().min(1, "enter your name").max(100, "must be at most 100 characters"),
  email: emailSchema,
  password: createUserSchema.shape.password,
});
export type SignUpInput = z.input<typeof signUpSchema>;

/**
 * An e-mail that already has an account. The answer necessarily tells that an account exists (we
 * send no confirmation mail that could say it privately); every sign-up counts against the same
 * per-e-mail and per-address allowance as sign-ins, so probing e-mails here is as slow as at login.
 */
export class SignUpEmailTakenError extends AppError {
  constructor() {
    super(
      "auth.signup_email_taken",
      "email: we could not create an account with this e-mail. If it is yours, sign in instead.",
      409,
      { field: "email" },
    );
  }
}

/** Counts a sign-up against the login throttle (e-mail and address); a 429 LoginError when used up. */
export async function reserveSignUpAttempt(
  ctx: ServiceContext,
  input: { email: string; ip: string },
): Promise<number[]> {
  const keys = loginThrottleKeys(ctx.config.sessionSecret, input.email, input.ip);
  const reservation = await reserveLoginAttempt(ctx.db, keys, ctx.clock.now());
  if (!reservation) {
    throw new LoginError("auth.rate_limited", "Too many attempts from here. Try again in 15 minutes.", 429);
  }
  return reservation;
}

/** Refuses an e-mail that already has an account (the reservation stays as a failed attempt). */
export async function assertEmailFree(ctx: Pick<ServiceContext, "db">, email: string): Promise<void> {
  const [taken] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (taken) throw new SignUpEmailTakenError();
}

/** A new session for a user who has just signed up; the reserved attempt stops counting as a failure. */
export async function openSignUpSession(
  ctx: ServiceContext,
  input: { userId: number; reservation: number[] },
): Promise<string> {
  const now = ctx.clock.now();
  const token = randomToken();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(sessions).values({
      idHash: sha256(token),
      userId: input.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    });
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, input.userId));
    await settleSuccessfulAttempt(tx, input.reservation, now);
  });
  return token;
}
