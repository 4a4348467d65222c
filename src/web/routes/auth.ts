import { z } from "zod";
import { LoginError, login, logout } from "../../auth/index.ts";
import type { AppContext } from "../../context.ts";
import { clientIp } from "../middleware/context.ts";
import { rotateCsrfSeed } from "../middleware/csrf.ts";
import { clearSessionCookie, readSessionToken, setSessionCookie } from "../middleware/session.ts";
import type { Router } from "../route-access.ts";
import { LoginPage, SignedInPage } from "../views/login.tsx";

const loginForm = z.object({
  email: z.string().trim().max(254),
  password: z.string().max(200),
  next: z.string().max(300).optional(),
});

/** Only same-site relative paths: an open redirect after login is a phishing tool. */
export function safeNext(next: string | undefined): string | undefined {
  return next && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : undefined;
}

export function homeFor(role: string): string {
  return role === "customer" ? "/" : role === "ops" ? "/dashboard/ops" : "/dashboard";
}

export function registerAuthRoutes(r: Router, ctx: AppContext): void {
  r.get("/login", "public", (c) => {
    const user = c.get("user");
    if (user) return c.html(SignedInPage({ user, csrfToken: c.get("csrfToken"), home: homeFor(user.role) }));
    return c.html(LoginPage({ csrfToken: c.get("csrfToken"), next: safeNext(c.req.query("next")) }));
  });

  r.post("/login", "public", async (c) => {
    const parsed = loginForm.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      return c.html(
        LoginPage({ csrfToken: c.get("csrfToken"), error: "Enter your e-mail and password." }),
        400,
      );
    }
    const { email, password, next } = parsed.data;
    try {
      const previous = readSessionToken(c);
      if (previous) await logout(ctx, previous);
      const result = await login(ctx, { email, password, ip: clientIp(c) });
      setSessionCookie(c, result.token);
      rotateCsrfSeed(c, result.token);
      c.get("logger").info({ userId: result.user.id, role: result.user.role }, "signed in");
      return c.redirect(safeNext(next) ?? homeFor(result.user.role), 303);
    } catch (err) {
      if (!(err instanceof LoginError)) throw err;
      return c.html(
        LoginPage({ csrfToken: c.get("csrfToken"), error: err.message, email, next }),
        err.status as 401,
      );
    }
  });

  r.post("/logout", "public", async (c) => {
    const token = readSessionToken(c);
    if (token) await logout(ctx, token);
    clearSessionCookie(c);
    rotateCsrfSeed(c);
    return c.redirect("/login", 303);
  });
}
