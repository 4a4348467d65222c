import { describe, expect, it } from "vitest";
import { errorMessage } from "./process.ts";

describe("errorMessage (stored on a failed event, shown to ops)", () => {
  it("keeps the root cause and its code", () => {
    const root = Object.assign(new Error('relation "charges" does not exist'), { code: "42P01" });
    const wrapped = new Error("Failed query: SELECT 1\nparams: a@b.example", { cause: root });
    expect(errorMessage(wrapped)).toBe('relation "charges" does not exist');
    expect(errorMessage(root)).toBe('42P01: relation "charges" does not exist');
  });

  it("drops a value the database echoed back, which may be personal data", () => {
    const err = Object.assign(new Error('invalid input syntax for type integer: "jane@example.com"'), {
      code: "22P02",
    });
    const message = errorMessage(err);
    expect(message).not.toContain("jane@example.com");
    expect(message).toBe("22P02: invalid input syntax for type integer: [not logged]");
  });
});
