import { createRequire } from "node:module";
import pino, { type Logger } from "pino";
import type { PrettyOptions } from "pino-pretty";

/**
 * Keys whose values are personal data or secrets, at any depth of a logged object (Stripe objects
 * nest them: `billing_details.email`, `customer_details.address`, `receipt_email`, `customer_phone`).
 */
const PERSONAL_KEY =
  /^(name|full_?name|first_?name|last_?name|customer_?name|ip|cookie|authorization|stripe-signature)$|e_?mail$|phone$|address$|password|secret|token$/i;
const REDACTED = "[redacted]";
const MAX_DEPTH = 8;

/**
 * Database errors carry the query's parameters: drizzle appends them to its message
 * (`Failed query: …\nparams: a@b.example,…`, also in the stack), PGlite and node-postgres add
 * `params`, `detail` (`Key (email)=(…) already exists`) and `where` (the JSON text around an error).
 * Postgres also quotes the refused value in some messages (`invalid input syntax for type integer: "…"`).
 */
const PARAMS_SECTION = /\nparams: [\s\S]*?(?=\n\s+at |$)/g;
const ECHOED_VALUE =
  /((?:invalid input (?:syntax|value) for [^:"]+|out of range[^:"]*|invalid byte sequence[^:"]*)): "(?:[^"\\]|\\.)*"/g;
/** Error fields worth logging; everything else on an error (params, detail, where, query options) is dropped. */
const ERROR_FIELDS = ["code", "severity", "constraint", "table", "column", "routine", "errno", "syscall"];

/** Text without query parameters or values the database echoed back. */
export function scrubText(text: string): string {
  return text.replace(PARAMS_SECTION, "\nparams: [not logged]").replace(ECHOED_VALUE, "$1: [not logged]");
}

/** An error as a plain object for a log line: type, message, code, stack and cause, no parameters. */
export function serializeError(err: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: err.constructor?.name || err.name,
    message: scrubText(err.message),
  };
  const fields = err as unknown as Record<string, unknown>;
  for (const key of ERROR_FIELDS)
    if (typeof fields[key] === "string" || typeof fields[key] === "number") out[key] = fields[key];
  if (err.stack) out.stack = scrubText(err.stack);
  if (err.cause !== undefined && depth < MAX_DEPTH) out.cause = sanitize(err.cause, depth + 1, new WeakSet());
  if (err instanceof AggregateError && depth < MAX_DEPTH)
    out.errors = err.errors.map((e) => sanitize(e, depth + 1, new WeakSet()));
  return out;
}

/** A copy of a log value with personal fields redacted and errors serialized safely, at any depth. */
function sanitize(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return serializeError(value, depth);
  if (value instanceof Date) return value;
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] =
      PERSONAL_KEY.test(key) && v !== null && v !== undefined ? REDACTED : sanitize(v, depth + 1, seen);
  return out;
}

const sanitizeObject = (object: Record<string, unknown>) =>
  sanitize(object, 0, new WeakSet()) as Record<string, unknown>;

export type LogFormat = "pretty" | "json";

/**
 * Short human-readable lines for a person at a terminal in development; JSON everywhere else
 * (production, tests, a pipe or a file), since log collectors parse it.
 */
export function logFormat(options: { env: string; isTTY: boolean }): LogFormat {
  return options.env === "development" && options.isTTY ? "pretty" : "json";
}

/** pino-pretty is loaded only when a terminal shows the logs (it is CommonJS and not needed otherwise). */
function prettyStream(destination: pino.DestinationStream | undefined, colorize: boolean) {
  const pretty = createRequire(import.meta.url)("pino-pretty") as (
    o: PrettyOptions,
  ) => pino.DestinationStream;
  return pretty({
    colorize,
    // One line each: time, level, message, then the remaining fields.
    singleLine: true,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname",
    // Written before the next line of the program's own output, never after it.
    sync: true,
    ...(destination ? { destination } : {}),
  });
}

export function createLogger(options: {
  level: string;
  pretty: boolean;
  destination?: pino.DestinationStream;
}): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    formatters: { log: sanitizeObject, bindings: sanitizeObject },
    // `err` is already a plain object here (formatters.log runs first); the message may be an error's.
    serializers: {
      err: (err: unknown) => err,
      msg: (msg: unknown) => (typeof msg === "string" ? scrubText(msg) : msg),
    },
  };
  if (options.pretty) return pino(base, prettyStream(options.destination, !options.destination));
  if (options.destination) return pino(base, options.destination);
  return pino(base);
}

export type { Logger };
