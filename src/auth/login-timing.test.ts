import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor } from "../audit/index.ts";
import { verifyPassword } from "./password.ts";
import { LoginError, login, NO_USER_HASH } from "./sessions.ts";
import { createUser, setUserActive } from "./users.ts";

// The real verifyPassword, wrapped so the test can see which stored hash each sign-in checked.
vi.mock("./password.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password.ts")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

const PASSWORD = "correct horse battery staple";
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await createUser(ctx, { email: "known@example.test", password: PASSWORD, role: "ops" }, cliActor);
  const gone = await createUser(
    ctx,
    { email: "gone@example.test", password: PASSWORD, role: "ops" },
    cliActor,
  );
  await setUserActive(ctx, { userId: gone.id, active: false }, cliActor);
});
afterAll(() => ctx.destroy());

async function checkedHashFor(email: string, password: string): Promise<string> {
  const spy = vi.mocked(verifyPassword);
  spy.mockClear();
  await expect(login(ctx, { email, password, ip: "192.0.2.1" })).rejects.toBeInstanceOf(LoginError);
  expect(spy).toHaveBeenCalledTimes(1);
  return spy.mock.calls[0]![1];
}

describe("sign-in answers do not tell which e-mails have accounts", () => {
  it("runs the same scrypt check for an unknown e-mail, a deactivated user and a wrong password", async () => {
    expect(await checkedHashFor("nobody@example.test", PASSWORD)).toBe(NO_USER_HASH);
    expect(await checkedHashFor("gone@example.test", PASSWORD)).toBe(NO_USER_HASH);
    const known = await checkedHashFor("known@example.test", "wrong password!");
    expect(known).not.toBe(NO_USER_HASH);
    // Same scheme and cost parameters, so the same work.
    expect(NO_USER_HASH.split("$").slice(0, 4)).toEqual(known.split("$").slice(0, 4));
  });

  it("accepts no password against the no-user hash", async () => {
    const real = await vi.importActual<typeof import("./password.ts")>("./password.ts");
    for (const guess of ["", PASSWORD, "A".repeat(43)])
      expect(await real.verifyPassword(guess, NO_USER_HASH)).toBe(false);
  });
});
