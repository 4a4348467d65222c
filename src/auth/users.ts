import { asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { AppError, ConflictError, NotFoundError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { hashPassword } from "./password.ts";
import { ROLES, type Role } from "./policy.ts";
import { sessions, users } from "./schema.ts";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "must be an e-mail address" }));

export const createUserSchema = z.object({
  email: emailSchema,
  password: z.string().min(12, "must be at least 12 characters").max(200),
  role: z.enum(ROLES),
  displayName: z.string().trim().min(1).max(100).optional(),
  customerId: z.number().int().positive().optional(),
  isDemo: z.boolean().optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export type PublicUser = Pick<
  typeof users.$inferSelect,
  "id" | "email" | "role" | "displayName" | "active" | "customerId" | "createdAt" | "lastLoginAt" | "isDemo"
>;

const publicColumns = {
  id: users.id,
  email: users.email,
  role: users.role,
  displayName: users.displayName,
  active: users.active,
  customerId: users.customerId,
  createdAt: users.createdAt,
  lastLoginAt: users.lastLoginAt,
  isDemo: users.isDemo,
};

export async function createUser(
  ctx: ServiceContext,
  input: CreateUserInput,
  actor: Actor,
): Promise<PublicUser> {
  const data = parseInput(createUserSchema, input);
  const passwordHash = await hashPassword(data.password);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, data.email));
    if (existing) throw new ConflictError("user.exists", "a user with that e-mail already exists");
    const [created] = await tx
      .insert(users)
      .values({
        email: data.email,
        passwordHash,
        role: data.role,
        displayName: data.displayName ?? data.email.split("@")[0]!,
        customerId: data.customerId,
        isDemo: data.isDemo ?? false,
      })
      .returning(publicColumns);
    await audit(tx, actor, "user.create", { type: "user", id: created!.id }, { role: data.role }, null, now);
    return created!;
  });
}

export async function setUserRole(
  ctx: ServiceContext,
  input: { userId: number; role: Role },
  actor: Actor,
): Promise<PublicUser> {
  const role = parseInput(z.enum(ROLES), input.role);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select(publicColumns).from(users).where(eq(users.id, input.userId)).for("update");
    if (!user) throw new NotFoundError("user");
    if (actor.type === "user" && actor.id === String(user.id) && role !== "admin") {
      throw new AppError("user.self_demotion", "an admin cannot remove their own admin role", 409);
    }
    await tx.update(users).set({ role }).where(eq(users.id, user.id));
    // A role change ends the user's sessions so the new permissions apply at once.
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await audit(
      tx,
      actor,
      "user.set_role",
      { type: "user", id: user.id },
      { role },
      { role: user.role },
      now,
    );
    return { ...user, role };
  });
}

export async function setUserActive(
  ctx: ServiceContext,
  input: { userId: number; active: boolean },
  actor: Actor,
): Promise<PublicUser> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select(publicColumns).from(users).where(eq(users.id, input.userId)).for("update");
    if (!user) throw new NotFoundError("user");
    if (actor.type === "user" && actor.id === String(user.id) && !input.active) {
      throw new AppError("user.self_deactivation", "you cannot deactivate your own account", 409);
    }
    await tx.update(users).set({ active: input.active }).where(eq(users.id, user.id));
    if (!input.active) await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await audit(
      tx,
      actor,
      input.active ? "user.activate" : "user.deactivate",
      { type: "user", id: user.id },
      { active: input.active },
      { active: user.active },
      now,
    );
    return { ...user, active: input.active };
  });
}

export async function findUserByEmail(ctx: Pick<ServiceContext, "db">, email: string) {
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return user;
}

export async function getUser(ctx: Pick<ServiceContext, "db">, id: number): Promise<PublicUser | undefined> {
  const [user] = await ctx.db.select(publicColumns).from(users).where(eq(users.id, id));
  return user;
}

export async function listUsers(ctx: Pick<ServiceContext, "db">): Promise<PublicUser[]> {
  return ctx.db.select(publicColumns).from(users).orderBy(asc(users.role), asc(users.email));
}

export async function countDemoUsers(ctx: Pick<ServiceContext, "db">): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.isDemo, true));
  return row?.n ?? 0;
}

/**
 * Anonymisation of a customer reaches their logins: the e-mail and display name are the same
 * personal data, so they take the customer's pseudonym, the login is deactivated and its
 * sessions end. Runs in the caller's transaction; returns how many logins changed.
 */
export async function anonymizeLoginsOfCustomer(
  tx: Db,
  customerId: number,
  alias: { email: string; name: string },
): Promise<number> {
  const logins = await tx
    .update(users)
    .set({ email: alias.email, displayName: alias.name, active: false })
    .where(eq(users.customerId, customerId))
    .returning({ id: users.id });
  if (logins.length > 0)
    await tx.delete(sessions).where(
      inArray(
        sessions.userId,
        logins.map((l) => l.id),
      ),
    );
  return logins.length;
}
