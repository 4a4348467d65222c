import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "../audit/index.ts";
import {
  createApiToken,
  createUser,
  findUserByEmail,
  listApiTokens,
  listUsers,
  ROLES,
  revokeApiToken,
  setUserRole,
} from "../auth/index.ts";
import { loadCliEnv } from "../config/process-env.ts";
import { fail, parseFlags, printJson, printTable, withContext } from "./run.ts";

const createFlags = z.object({
  email: z.string(),
  role: z.enum(ROLES),
  password: z.string().optional(),
  name: z.string().optional(),
  json: z.boolean().optional(),
});

export function registerUsers(program: Command): void {
  const users = program.command("users").description("manage staff and customer logins");

  users
    .command("create")
    .description("create a user; the password comes from --password or REVINTEL_PASSWORD (never echoed)")
    .requiredOption("--email <email>", "login e-mail")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--password <password>", "initial password (12+ characters); prefer REVINTEL_PASSWORD")
    .option("--name <name>", "display name")
    .option("--json", "print the created user as JSON")
    .action(async (raw) => {
      const flags = parseFlags(createFlags, raw);
      const password = flags.password ?? loadCliEnv().REVINTEL_PASSWORD;
      if (!password) fail("--password: required (or set REVINTEL_PASSWORD)", 2);
      await withContext(async (ctx) => {
        const user = await createUser(
          ctx,
          { email: flags.email, role: flags.role, password, displayName: flags.name },
          cliActor,
        );
        if (flags.json) printJson(user);
        else process.stdout.write(`created user ${user.id} (${user.role})\n`);
      });
    });

  users
    .command("set-role")
    .description("change a user's role (audited; ends their sessions)")
    .requiredOption("--email <email>", "login e-mail")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .action(async (raw) => {
      const flags = parseFlags(z.object({ email: z.string(), role: z.enum(ROLES) }), raw);
      await withContext(async (ctx) => {
        const user = await findUserByEmail(ctx, flags.email);
        if (!user) fail(`--email: no user with that e-mail`, 2);
        await setUserRole(ctx, { userId: user.id, role: flags.role }, cliActor);
        process.stdout.write(`user ${user.id} is now ${flags.role}\n`);
      });
    });

  users
    .command("list")
    .description("list users")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const rows = await listUsers(ctx);
        if (opts.json) printJson(rows);
        else printTable(rows.map((u) => ({ id: u.id, email: u.email, role: u.role, active: u.active })));
      });
    });

  users
    .command("token")
    .description("create an API bearer token for /api/v1 (printed once)")
    .requiredOption("--name <name>", "what the token is for")
    .option("--role <role>", "analyst or admin", "analyst")
    .action(async (raw) => {
      const flags = parseFlags(
        z.object({ name: z.string().min(1).max(100), role: z.enum(["analyst", "admin"]) }),
        raw,
      );
      await withContext(async (ctx) => {
        const created = await createApiToken(
          ctx,
          { name: flags.name, role: flags.role, createdBy: null },
          cliActor,
        );
        process.stdout.write(`${created.token}\n`);
      });
    });

  users
    .command("tokens")
    .description("list API tokens (never their secrets): creator, last use, revoked")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const rows = await listApiTokens(ctx);
        if (opts.json) printJson(rows);
        else printTable(rows as unknown as Record<string, unknown>[]);
      });
    });

  users
    .command("revoke-token")
    .description("revoke an API token at once (audited)")
    .requiredOption("--id <n>", "the token's id (see users tokens)")
    .action(async (raw) => {
      const flags = parseFlags(z.object({ id: z.coerce.number().int().positive() }), raw);
      await withContext(async (ctx) => {
        await revokeApiToken(ctx, flags.id, cliActor);
        process.stdout.write(`revoked token ${flags.id}\n`);
      });
    });
}
