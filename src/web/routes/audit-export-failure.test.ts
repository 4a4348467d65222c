import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, type TestClient } from "../../../tests/support/http.ts";
import { type LoggedError, recordErrors } from "../../../tests/support/log-recorder.ts";
import { audit, cliActor } from "../../audit/index.ts";

/** When set, the audit log reader fails after its first row, as a lost database connection would. */
const failure = vi.hoisted(() => ({ after: null as number | null }));

vi.mock("../../audit/index.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../audit/index.ts")>();
  return {
    ...original,
    async *iterateAuditEvents(...args: Parameters<typeof original.iterateAuditEvents>) {
      let n = 0;
      for await (const row of original.iterateAuditEvents(...args)) {
        if (failure.after !== null && n >= failure.after)
          throw new Error("connection terminated unexpectedly");
        n += 1;
        yield row;
      }
    },
  };
});

let ctx: TestContext;
let admin: TestClient;
let errors: LoggedError[];

beforeAll(async () => {
  ({
    ctx,
    clients: { admin },
  } = await createTestApp(["admin"]));
  // Every request logs through a child of ctx.logger: record what the export route reports.
  errors = recordErrors(ctx.logger);
  await ctx.db.transaction(async (tx) => {
    for (const [id, email] of [
      [41, "ada@example.test"],
      [42, "grace@example.test"],
    ] as const) {
      await audit(tx, cliActor, "customer.update", { type: "customer", id }, { email }, null);
    }
  });
});
afterAll(() => ctx.destroy());

describe("an audit CSV export that fails after its first byte", () => {
  it("errors the download and logs the failure without personal data", async () => {
    failure.after = 1;
    try {
      const res = await admin.get("/audit/export.csv?targetType=customer");
      expect(res.status).toBe(200); // the headers went out before the failure
      await expect(res.text()).rejects.toThrow();
    } finally {
      failure.after = null;
    }
    const logged = errors.filter((e) => e.message === "export failed while streaming");
    expect(logged).toHaveLength(1);
    expect(logged[0]!.fields).toMatchObject({ export: "audit_log" });
    // No row, filter value or e-mail address goes into the log.
    expect(JSON.stringify(logged[0]!.fields)).not.toMatch(/example\.test|customer/);
  });

  it("a later export completes and logs nothing", async () => {
    errors.length = 0;
    const res = await admin.get("/audit/export.csv?targetType=customer");
    expect(res.status).toBe(200);
    expect((await res.text()).trimEnd().split("\r\n")).toHaveLength(3); // header + two events
    expect(errors).toEqual([]);
  });
});
