import { LoginError, SignUpEmailTakenError } from "../../auth/index.ts";
import type { AppContext } from "../../context.ts";
import { signUpShopper } from "../../flows/index.ts";
import { ValidationError } from "../../shared/errors.ts";
import { clientIp } from "../middleware/context.ts";
import { rotateCsrfSeed } from "../middleware/csrf.ts";
import { setSessionCookie } from "../middleware/session.ts";
import { actorFrom } from "../request-actor.ts";
import type { Router } from "../route-access.ts";
import { SignUpPage } from "../views/signup.tsx";
import { homeFor, safeNext } from "./auth.ts";

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** Shoppers create their own account (customer record, login and session); staff accounts stay admin-made. */
export function registerSignUpRoutes(r: Router, ctx: AppContext): void {
  r.get("/signup", "public", (c) => {
    const user = c.get("user");
    const next = safeNext(c.req.query("next"));
    if (user) return c.redirect(next ?? homeFor(user.role), 303);
    return c.html(SignUpPage({ csrfToken: c.get("csrfToken"), next }));
  });

  r.post("/signup", "public", async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(text(body.next) || undefined);
    const values = { name: text(body.name), email: text(body.email) };
    try {
      const { token, user } = await signUpShopper(
        ctx,
        { name: values.name, email: values.email, password: text(body.password), ip: clientIp(c) },
        actorFrom(c),
      );
      setSessionCookie(c, token);
      rotateCsrfSeed(c, token);
      c.get("logger").info({ userId: user.id, role: user.role }, "signed up");
      return c.redirect(next ?? homeFor(user.role), 303);
    } catch (err) {
      const known =
        err instanceof ValidationError || err instanceof SignUpEmailTakenError || err instanceof LoginError;
      if (!known) throw err;
      const field =
        err instanceof ValidationError
          ? (err.field ?? null)
          : err instanceof SignUpEmailTakenError
            ? "email"
            : null;
      const message = field ? err.message.replace(/^\w+: /, "") : err.message;
      const page = SignUpPage({
        csrfToken: c.get("csrfToken"),
        next,
        state: { values, error: { field, message } },
      });
      return c.html(page, err.status as 400 | 409 | 429);
    }
  });
}
