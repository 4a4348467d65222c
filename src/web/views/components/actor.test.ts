import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../../tests/support/context.ts";
import { cliActor, systemActor, webhookActor } from "../../../audit/index.ts";
import { createUser } from "../../../auth/index.ts";
import { type ActorRef, actorLabel, parseActorText, peopleOf } from "./actor.ts";

const PEOPLE = new Map([
  ["3", { name: "Olivia Ops", role: "ops" }],
  ["4", { name: "Ana Lyst", role: "analyst" }],
  ["9", { name: "Mina Okafor", role: "customer" }],
]);

describe("actorLabel", () => {
  it.each<[string, ActorRef, string]>([
    ["a staff user by name and role", { type: "user", id: "3" }, "Olivia Ops (ops)"],
    [
      "the user's role today, not the one recorded",
      { type: "user", id: "4", role: "ops" },
      "Ana Lyst (analyst)",
    ],
    ["a shop login without its name", { type: "user", id: "9" }, "Customer"],
    ["a customer login no longer known", { type: "user", id: "77", role: "customer" }, "Customer"],
    [
      "a user no longer known, with the role recorded",
      { type: "user", id: "12", role: "admin" },
      "User #12 (admin)",
    ],
    ["a user no longer known and no role", { type: "user", id: "12" }, "User #12"],
    ["the system", systemActor, "System"],
    ["a Stripe webhook", webhookActor, "Stripe webhook"],
    ["the CLI", cliActor, "CLI"],
    [
      "an API token in the audit log",
      { type: "api_token", id: "5", role: "analyst" },
      "API token #5 (analyst)",
    ],
    ["an API token in an order's events", { type: "user", id: "token:5" }, "API token #5"],
    ["an unknown kind as it is", { type: "importer", id: "nightly" }, "importer nightly"],
  ])("names %s", (_, actor, expected) => {
    expect(actorLabel(actor, PEOPLE)).toBe(expected);
  });

  it("reads a refund's requested_by as an actor", () => {
    expect(parseActorText("user:3")).toEqual({ type: "user", id: "3" });
    expect(parseActorText("system")).toEqual({ type: "system", id: null });
    expect(actorLabel(parseActorText("user:3"), PEOPLE)).toBe("Olivia Ops (ops)");
    expect(actorLabel(parseActorText("cli:cli"), PEOPLE)).toBe("CLI");
    expect(actorLabel(parseActorText("api_token:8"), PEOPLE)).toBe("API token #8");
  });
});

describe("peopleOf", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.destroy());

  it("reads the users named by the actors and nothing else", async () => {
    const olivia = await createUser(
      ctx,
      {
        email: "olivia@example.test",
        password: "correct horse battery staple",
        role: "ops",
        displayName: "Olivia Ops",
      },
      cliActor,
    );
    const people = await peopleOf(ctx, [
      { type: "user", id: String(olivia.id) },
      { type: "user", id: "token:1" },
      systemActor,
      null,
      { type: "user", id: "99999" },
    ]);
    expect([...people]).toEqual([[String(olivia.id), { name: "Olivia Ops", role: "ops" }]]);
  });
});
