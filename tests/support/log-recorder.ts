import { vi } from "vitest";
import type { Logger } from "../../src/shared/logger.ts";

export interface LoggedError {
  fields: unknown;
  message: unknown;
}

/**
 * Record what is logged at error level through `logger`'s children (every request logs through a
 * child of the app's logger); other levels are dropped. Returns the list the errors are pushed to:
 * empty it with `errors.length = 0`.
 */
export function recordErrors(logger: Logger): LoggedError[] {
  const errors: LoggedError[] = [];
  const recorder = {
    info: () => {},
    warn: () => {},
    debug: () => {},
    error: (fields: unknown, message: unknown) => errors.push({ fields, message }),
    child: () => recorder,
  };
  vi.spyOn(logger, "child").mockReturnValue(recorder as never);
  return errors;
}
