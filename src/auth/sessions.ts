import { and, desc, eq, gt } from "drizzle-orm";
import { type Actor, audit } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import { AppError, NotFoundError } from "../shared/errors.ts";
import { loginThrottleKeys, reserveLoginAttempt, settleSuccessfulAttempt } from "./login-throttle.ts";
import { verifyPassword } from "./password.ts";
import type { Role } from "./policy.ts";
import { apiTokens, sessions, users } from "./schema.ts";
import { randomToken, sha256 } from "./tokens.ts";
import { findUserByEmail } from "./users.ts";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/**
 * The stored hash checked when no active user has the e-mail: our scheme and cost, a zero salt and a
 * zero key, which no password produces.
 */
export const NO_USER_HASH = `scrypt$32768$8$1$${"A".repeat(22)}$${"A".repeat(43)}`;

export interface SessionUser {
  id: number;
  email: string;
  role: Role;
  displayName: string;
  customerId: number | null;
}

/** What a session knows of its user: no password hash, no login bookkeeping. */
export function sessionUserOf(user: SessionUser): SessionUser {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    displayName: user.displayName,
    customerId: user.customerId,
  };
}

export class LoginError extends AppError {
  constructor(code: "auth.invalid_credentials" | "auth.rate_limited", message: string, status: number) {
    super(code, message, status);
  }
}

/**
 * Check credentials with rate limiting; on success create a fresh session (the caller replaces any
 * previous cookie, so a planted session id never survives login). The attempt is reserved against
 * the e-mail's and the address's allowance before the password is checked, so parallel requests
 * cannot all be checked before the first failure is recorded.
 */
export async function login(
  ctx: ServiceContext,
  input: { email: string; password: string; ip: string },
): Promise<{ token: string; user: SessionUser }> {
  const { db } = ctx;
  const now = ctx.clock.now();
  const keys = loginThrottleKeys(ctx.config.sessionSecret, input.email, input.ip);
  const reservation = await reserveLoginAttempt(db, keys, now);
  if (!reservation) {
    throw new LoginError(
      "auth.rate_limited",
      "Too many failed sign-in attempts. Try again in 15 minutes.",
      429,
    );
  }
  const user = await findUserByEmail(ctx, input.email);
  // An unknown or deactivated e-mail costs the same scrypt as a wrong password: the answer's timing
  // must not tell which e-mails have accounts.
  const checked = await verifyPassword(input.password, user?.active ? user.passwordHash : NO_USER_HASH);
  const ok = checked && user?.active === true;
  if (!ok || !user) {
    throw new LoginError("auth.invalid_credentials", "E-mail or password is not right.", 401);
  }
  const token = randomToken();
  await db.transaction(async (tx) => {
    await tx.insert(sessions).values({
      idHash: sha256(token),
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    });
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
    await settleSuccessfulAttempt(tx, reservation, now);
  });
  return { token, user: sessionUserOf(user) };
}

export async function resolveSession(ctx: ServiceContext, token: string): Promise<SessionUser | null> {
  const [row] = await ctx.db
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      displayName: users.displayName,
      customerId: users.customerId,
      active: users.active,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sha256(token)), gt(sessions.expiresAt, ctx.clock.now())));
  if (!row?.active) return null;
  const { active: _active, ...user } = row;
  return user;
}

export async function logout(ctx: Pick<ServiceContext, "db">, token: string): Promise<void> {
  await ctx.db.delete(sessions).where(eq(sessions.idHash, sha256(token)));
}

export interface TokenPrincipal {
  tokenId: number;
  role: "analyst" | "admin";
}

/** The token is returned once; only its SHA-256 is stored. */
export async function createApiToken(
  ctx: ServiceContext,
  input: { name: string; role: "analyst" | "admin"; createdBy: number | null },
  actor: Actor,
) {
  const token = `ri_${randomToken(24)}`;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ name: input.name, role: input.role, tokenHash: sha256(token), createdBy: input.createdBy })
      .returning({ id: apiTokens.id });
    await audit(
      tx,
      actor,
      "api_token.create",
      { type: "api_token", id: row!.id },
      { role: input.role, name: input.name },
      null,
      now,
    );
    return { id: row!.id, token };
  });
}

/**
 * The token's principal, or null when it is unknown or revoked, or when the admin who created it is
 * no longer an active admin: a token never outlives its creator's access. Tokens made with the CLI
 * (no creator) live until revoked.
 */
export async function resolveApiToken(ctx: ServiceContext, token: string): Promise<TokenPrincipal | null> {
  const [row] = await ctx.db
    .select({
      id: apiTokens.id,
      role: apiTokens.role,
      revokedAt: apiTokens.revokedAt,
      createdBy: apiTokens.createdBy,
      creatorActive: users.active,
      creatorRole: users.role,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .where(eq(apiTokens.tokenHash, sha256(token)));
  if (!row || row.revokedAt) return null;
  if (row.createdBy !== null && !(row.creatorActive === true && row.creatorRole === "admin")) return null;
  const now = ctx.clock.now();
  // "Last used" to the minute: a token read every second (a BI tool, a dashboard) writes once a
  // minute, not once a request.
  if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    await ctx.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return { tokenId: row.id, role: row.role };
}

/** How stale an API token's `last_used_at` may be: it is written at most this often. */
export const LAST_USED_GRANULARITY_MS = 60_000;

export interface ApiTokenRow {
  id: number;
  name: string;
  role: "analyst" | "admin";
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Every token (never the secret), newest first, with its creator's e-mail. */
export async function listApiTokens(ctx: Pick<ServiceContext, "db">): Promise<ApiTokenRow[]> {
  return ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      createdBy: users.email,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.id));
}

/** Revokes a token at once (audited); revoking a revoked token changes nothing. */
export async function revokeApiToken(ctx: ServiceContext, tokenId: number, actor: Actor): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: apiTokens.id, name: apiTokens.name, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.id, tokenId))
      .for("update");
    if (!row) throw new NotFoundError("API token");
    if (row.revokedAt) return;
    const now = ctx.clock.now();
    await tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, tokenId));
    await audit(
      tx,
      actor,
      "api_token.revoke",
      { type: "api_token", id: tokenId },
      { revokedAt: now.toISOString() },
      { name: row.name, revokedAt: null },
      now,
    );
  });
}
