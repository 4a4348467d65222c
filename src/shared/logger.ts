import pino, { type Logger } from "pino";

/** Fields that may carry personal data or secrets; pino replaces them wherever they appear. */
export const REDACT_PATHS = [
  "email",
  "*.email",
  "name",
  "*.name",
  "password",
  "*.password",
  "phone",
  "*.phone",
  "address",
  "*.address",
  "ip",
  "*.ip",
  "token",
  "*.token",
  "headers.cookie",
  "headers.authorization",
  'headers["stripe-signature"]',
  "*.headers.cookie",
  "*.headers.authorization",
];

export function createLogger(options: {
  level: string;
  pretty: boolean;
  destination?: pino.DestinationStream;
}): Logger {
  const base = { level: options.level, redact: { paths: REDACT_PATHS, censor: "[redacted]" } };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { colorize: true, ignore: "pid,hostname" } },
    });
  }
  return pino(base);
}

export type { Logger };
