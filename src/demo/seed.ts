import { systemActor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { seedDemoUsers } from "./users.ts";

export interface SeedOptions {
  seed?: number;
  customers?: number;
  months?: number;
  progress?: boolean;
}

/** Deterministic demo data through the real services (grown by the demo issue). */
export async function seedDemo(ctx: AppContext, _options: SeedOptions = {}): Promise<{ users: number }> {
  await seedDemoUsers(ctx.db, systemActor);
  return { users: 4 };
}
