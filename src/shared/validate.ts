import type { z } from "zod";
import { ValidationError } from "./errors.ts";

/** Parse untrusted input; the error names the first offending field (`items.0.quantity: …`). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : undefined;
  const message = issue ? issue.message : "invalid input";
  throw new ValidationError(field ? `${field}: ${message}` : message, field);
}
