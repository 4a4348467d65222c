import type { Context } from "hono";
import { AppError } from "../../shared/errors.ts";
import type { AppEnv } from "../request-context.ts";

/** A form (or JSON) number: empty → undefined, text → Number (NaN fails zod, naming the field). */
export function formNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "number") return value;
  return typeof value === "string" ? Number(value.trim()) : Number.NaN;
}

/** The POST body as an object: JSON as sent (types kept, so zod judges them), forms as strings. */
export async function bodyOf(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/json")) {
    const json = await c.req.json().catch(() => {
      throw new AppError("validation.invalid", "body: not valid JSON", 400, { field: "body" });
    });
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new AppError("validation.invalid", "body: expected an object", 400, { field: "body" });
    }
    return json as Record<string, unknown>;
  }
  return (await c.req.parseBody()) as Record<string, unknown>;
}

/** The signed-in user's customer id, or a 409 for a staff-created account without a profile. */
export function customerIdOf(c: Context<AppEnv>): number {
  const id = c.get("user")?.customerId;
  if (!id)
    throw new AppError("customer.missing", "This account has no customer profile, so it cannot buy.", 409);
  return id;
}

export function wantsJson(c: Context<AppEnv>): boolean {
  return (c.req.header("content-type") ?? "").includes("application/json");
}

/** `/products/:id` style ids: digits only, else null (→ 404). */
export function idParam(raw: string | undefined): number | null {
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}
