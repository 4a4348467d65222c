import { type Actor, systemActor } from "../audit/index.ts";
import { createUser, findUserByEmail, type Role } from "../auth/index.ts";
import type { ServiceContext } from "../context.ts";

/** Fixed demo logins (also in docs/demo_walkthrough.md); `check-deploy` fails while any exist. */
export const DEMO_USERS: Array<{ email: string; password: string; role: Role; displayName: string }> = [
  {
    email: "admin@demo.revintel.test",
    password: "demo-admin-password",
    role: "admin",
    displayName: "Ada Admin",
  },
  {
    email: "analyst@demo.revintel.test",
    password: "demo-analyst-password",
    role: "analyst",
    displayName: "Ana Analyst",
  },
  { email: "ops@demo.revintel.test", password: "demo-ops-password", role: "ops", displayName: "Oscar Ops" },
  {
    email: "customer@demo.revintel.test",
    password: "demo-customer-password",
    role: "customer",
    displayName: "Cora Customer",
  },
];

/** Create the demo staff logins (idempotent). The customer login is linked by the demo seeder. */
export async function seedDemoUsers(
  ctx: ServiceContext,
  actor: Actor = systemActor,
  customerId?: number,
): Promise<void> {
  for (const u of DEMO_USERS) {
    if (await findUserByEmail(ctx, u.email)) continue;
    await createUser(
      ctx,
      { ...u, isDemo: true, customerId: u.role === "customer" ? customerId : undefined },
      actor,
    );
  }
}
