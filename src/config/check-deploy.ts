import { envSchema, MIN_SESSION_SECRET_LENGTH, productionRefusals } from "./env.ts";

export interface DeployCheck {
  name: string;
  ok: boolean;
  message: string;
}

/**
 * The production checklist (ARCHITECTURE §6). Pure: takes the raw environment and the number of demo
 * users (null when the database could not be read) and returns every check with its verdict.
 */
export function deployChecks(
  raw: Record<string, string | undefined>,
  demoUsers: number | null,
): DeployCheck[] {
  const env = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const checks: DeployCheck[] = [];
  const add = (name: string, ok: boolean, message: string) => checks.push({ name, ok, message });

  const parsed = envSchema.safeParse(env);
  add(
    "environment",
    parsed.success,
    parsed.success
      ? "every variable parses"
      : `${String(parsed.error.issues[0]?.path[0])}: ${parsed.error.issues[0]?.message}`,
  );
  add(
    "NODE_ENV",
    env.NODE_ENV === "production",
    env.NODE_ENV === "production" ? "production" : "NODE_ENV must be production",
  );
  // The same refusals stop start-up in production (config/env.ts): check-deploy names every one.
  const refusals = productionRefusals(env);
  const refused = (variable: string) => refusals.find((r) => r.variable === variable);
  const secret = refused("SESSION_SECRET");
  add(
    "SESSION_SECRET",
    !secret,
    secret ? secret.detail.replace(/^is /, "") : `set, at least ${MIN_SESSION_SECRET_LENGTH} characters`,
  );
  const baseUrl = env.BASE_URL ?? "";
  add(
    "BASE_URL",
    baseUrl.startsWith("https://"),
    baseUrl
      ? baseUrl.startsWith("https://")
        ? baseUrl
        : "must use https://"
      : "missing (must be the public https:// address)",
  );
  const mode = env.PAYMENTS_MODE ?? "offline";
  const publicWebhookSecret = refused("STRIPE_WEBHOOK_SECRET");
  const alsoPublic = publicWebhookSecret ? `; STRIPE_WEBHOOK_SECRET ${publicWebhookSecret.detail}` : "";
  if (mode === "stripe") {
    const keys = Boolean(env.STRIPE_SECRET_KEY) && Boolean(env.STRIPE_WEBHOOK_SECRET);
    add(
      "Stripe keys",
      keys && !publicWebhookSecret,
      !keys
        ? "PAYMENTS_MODE=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET"
        : publicWebhookSecret
          ? `STRIPE_WEBHOOK_SECRET ${publicWebhookSecret.detail}`
          : "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET set",
    );
  } else {
    add("PAYMENTS_MODE", false, `${refused("PAYMENTS_MODE")?.detail.replace(/^is /, "")}${alsoPublic}`);
  }
  const dbUrl = env.DATABASE_URL ?? "";
  add(
    "DATABASE_URL",
    /^postgres(ql)?:\/\//.test(dbUrl),
    dbUrl ? "PostgreSQL" : "missing: the embedded database is for demos and development only",
  );
  add(
    "demo users",
    demoUsers === 0,
    demoUsers === null
      ? "could not read users from the database"
      : demoUsers === 0
        ? "none"
        : `${demoUsers} demo user(s) still present: delete them or run on a fresh database`,
  );
  const insecure = env.SECURE_COOKIES === "false" || env.SECURE_COOKIES === "0";
  add(
    "cookies",
    !insecure,
    insecure
      ? "SECURE_COOKIES=false sends session cookies over plain http"
      : "Secure, HttpOnly, SameSite=Lax",
  );
  return checks;
}
