import type { Hono } from "hono";
import { cliActor } from "../../src/audit/index.ts";
import { createUser, type Role } from "../../src/auth/index.ts";
import type { AppContext } from "../../src/context.ts";
import { createApp } from "../../src/web/app.ts";
import type { AppEnv } from "../../src/web/request-context.ts";
import { createTestContext, type TestContext } from "./context.ts";
import { nextIn } from "./counters.ts";

export const TEST_PASSWORD = "correct horse battery staple";

/** A cookie jar + CSRF-aware client over `app.request()` (no listening server). */
export class TestClient {
  private cookies = new Map<string, string>();
  csrf = "";
  /** `bindings`: what the Node adapter would pass (e.g. `{ incoming: { socket } }` for a peer address). */
  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly bindings?: object,
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    const res = await this.app.request(path, { ...init, headers, redirect: "manual" }, this.bindings);
    this.store(res);
    return res;
  }

  /** The value the jar holds for cookie `name`. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Put a cookie in the jar as another site (or a script on a sibling host) could. */
  plantCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  /** Fetch a page first so the CSRF seed cookie exists, then read the token from the form. */
  async primeCsrf(path = "/login"): Promise<string> {
    const html = await (await this.get(path)).text();
    const match = html.match(/name="_csrf" value="([^"]+)"/) ?? html.match(/"X-CSRF-Token":"([^"]+)"/);
    this.csrf = match?.[1] ?? "";
    return this.csrf;
  }

  postForm(path: string, form: Record<string, string>, options: { csrf?: boolean } = {}): Promise<Response> {
    const body = new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: this.csrf }), ...form });
    return this.request(path, {
      method: "POST",
      body: body.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  postJson(path: string, json: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: "POST",
      body: JSON.stringify(json),
      headers: { "content-type": "application/json", "x-csrf-token": this.csrf, ...headers },
    });
  }

  async login(email: string, password = TEST_PASSWORD): Promise<Response> {
    await this.primeCsrf();
    const res = await this.postForm("/login", { email, password });
    await this.primeCsrf("/login");
    return res;
  }
}

/** Create a user with the given role and a client signed in as them. */
export async function signedInClient(app: Hono<AppEnv>, ctx: AppContext, role: Role, customerId?: number) {
  const email = `${role}${nextIn("users")}@example.test`;
  const user = await createUser(ctx, { email, password: TEST_PASSWORD, role, customerId }, cliActor);
  const client = new TestClient(app);
  const res = await client.login(email);
  if (res.status !== 303) throw new Error(`login failed for ${role}: ${res.status}`);
  return { client, user };
}

/**
 * A client signed in as `userId` without the cost of scrypt (a session row and its cookie), with the
 * CSRF token of that session primed. `userId` null: an anonymous client, primed the same way.
 */
export async function sessionClientFor(
  app: Hono<AppEnv>,
  ctx: AppContext,
  userId: number | null,
): Promise<TestClient> {
  const client = new TestClient(app);
  if (userId !== null) {
    const [name, ...value] = (await sessionCookieFor(ctx, userId)).split("=");
    client.plantCookie(name!, value.join("="));
  }
  await client.primeCsrf();
  return client;
}

/** A session row for a new user of `role`, without the cost of scrypt: returns a ready cookie header. */
export async function sessionCookieFor(ctx: AppContext, userId: number): Promise<string> {
  const { randomToken, sha256 } = await import("../../src/auth/index.ts");
  const { sessions } = await import("../../src/auth/schema.ts");
  const token = randomToken();
  const now = ctx.clock.now();
  await ctx.db.insert(sessions).values({
    idHash: sha256(token),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
  });
  return `${ctx.config.secureCookies ? "__Host-ri_session" : "ri_session"}=${token}`;
}

/**
 * The set-up of a route test: a test context, the app on it, and one signed-in client per role in
 * `roles` (created in that order), with their users. Close it with `ctx.destroy()`.
 */
export async function createTestApp<R extends Role>(
  roles: readonly R[] = [],
  options: Parameters<typeof createTestContext>[0] = {},
): Promise<{
  ctx: TestContext;
  app: Hono<AppEnv>;
  clients: Record<R, TestClient>;
  users: Record<R, Awaited<ReturnType<typeof createUser>>>;
}> {
  const ctx = await createTestContext(options);
  const { app } = createApp(ctx);
  const clients = {} as Record<R, TestClient>;
  const users = {} as Record<R, Awaited<ReturnType<typeof createUser>>>;
  for (const role of roles)
    ({ client: clients[role], user: users[role] } = await signedInClient(app, ctx, role));
  return { ctx, app, clients, users };
}
