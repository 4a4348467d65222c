import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor } from "../audit/index.ts";
import { MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from "./login-throttle.ts";
import { verifyPassword } from "./password.ts";
import { LoginError, login } from "./sessions.ts";
import { createUser } from "./users.ts";

// The real verifyPassword, wrapped so the test can count the password checks that ran.
vi.mock("./password.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password.ts")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

const PASSWORD = "correct horse battery staple";
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ poolSize: 20 });
  for (const email of ["burst@example.test", "steady@example.test"]) {
    await createUser(ctx, { email, password: PASSWORD, role: "ops" }, cliActor);
  }
});
afterAll(() => ctx.destroy());

type Outcome = "signed_in" | "auth.invalid_credentials" | "auth.rate_limited";

async function attempt(email: string, password: string, ip: string): Promise<Outcome> {
  try {
    await login(ctx, { email, password, ip });
    return "signed_in";
  } catch (err) {
    if (err instanceof LoginError) return err.code as Outcome;
    throw err;
  }
}

function tally(outcomes: Outcome[]): Record<Outcome, number> {
  const counts = { signed_in: 0, "auth.invalid_credentials": 0, "auth.rate_limited": 0 };
  for (const o of outcomes) counts[o]++;
  return counts;
}

describe("sign-in throttle under concurrency", () => {
  it("checks at most the e-mail's allowance when 40 sign-ins for it arrive at once", async () => {
    const spy = vi.mocked(verifyPassword);
    spy.mockClear();
    // 39 wrong guesses and the right password, from 40 addresses (the per-IP limit never bites).
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? PASSWORD : `wrong guess ${i}!`));
    const outcomes = await Promise.all(
      guesses.map((password, i) => attempt("burst@example.test", password, `198.51.100.${i + 1}`)),
    );
    const counts = tally(outcomes);
    expect(spy).toHaveBeenCalledTimes(MAX_FAILURES_PER_EMAIL);
    expect(counts["auth.rate_limited"]).toBe(40 - MAX_FAILURES_PER_EMAIL);
    expect(counts["auth.invalid_credentials"] + counts.signed_in).toBe(MAX_FAILURES_PER_EMAIL);
  }, 60_000);

  it("checks at most the address's allowance when many e-mails are tried from one address at once", async () => {
    const spy = vi.mocked(verifyPassword);
    spy.mockClear();
    const outcomes = await Promise.all(
      Array.from({ length: MAX_FAILURES_PER_IP + 10 }, (_, i) =>
        attempt(`nobody${i}@example.test`, "wrong guess!", "203.0.113.66"),
      ),
    );
    expect(spy).toHaveBeenCalledTimes(MAX_FAILURES_PER_IP);
    expect(tally(outcomes)["auth.rate_limited"]).toBe(10);
  }, 60_000);

  it("does not count a successful sign-in against the allowance", async () => {
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL - 1; i++) {
      expect(await attempt("steady@example.test", "wrong guess!", "192.0.2.10")).toBe(
        "auth.invalid_credentials",
      );
    }
    expect(await attempt("steady@example.test", PASSWORD, "192.0.2.10")).toBe("signed_in");
    expect(await attempt("steady@example.test", "wrong guess!", "192.0.2.10")).toBe(
      "auth.invalid_credentials",
    );
    expect(await attempt("steady@example.test", PASSWORD, "192.0.2.10")).toBe("auth.rate_limited");
  }, 60_000);
});
