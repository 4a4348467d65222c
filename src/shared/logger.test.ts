import { Writable } from "node:stream";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { createLogger, logFormat, scrubText } from "./logger.ts";

function capture(pretty = false) {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    pretty,
    destination: new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  return { logger, text: () => lines.join(""), json: () => lines.map((l) => JSON.parse(l)) };
}

/** A driver error as PGlite and node-postgres raise it: the values ride along in several fields. */
function driverError() {
  return Object.assign(new Error('invalid input syntax for type integer: "jo@example.test"'), {
    code: "22P02",
    severity: "ERROR",
    detail: "Key (email)=(jo@example.test) already exists.",
    where: 'JSON data, line 1: {"email": "jo@example.test"',
    params: ["jo@example.test", "Jo Example"],
    query: "SELECT $1::int, $2",
  });
}

describe("createLogger", () => {
  it("never writes a failed query's parameters, from the message, the stack or the error's fields", () => {
    const { logger, text, json } = capture();
    const err = new DrizzleQueryError("SELECT $1::int, $2", ["jo@example.test", "Jo Example"], driverError());
    logger.error({ err }, "query failed");
    logger.error(err);
    expect(text()).not.toContain("jo@example.test");
    expect(text()).not.toContain("Jo Example");
    const [line] = json();
    expect(line.err.message).toBe("Failed query: SELECT $1::int, $2\nparams: [not logged]");
    expect(line.err.cause).toMatchObject({
      code: "22P02",
      message: "invalid input syntax for type integer: [not logged]",
    });
    expect(line.err.stack).toMatch(/\n\s+at /);
  });

  it("redacts personal fields at any depth, keeping the rest", () => {
    const { logger, text, json } = capture();
    logger.warn(
      {
        eventId: "evt_1",
        event: {
          data: {
            object: {
              billing_details: { email: "jo@example.test", name: "Jo Example", phone: "+1 202 555 0100" },
              shipping: { address: { line1: "1 Example Road" } },
              receipt_email: "jo@example.test",
              customerEmail: "jo@example.test",
              amount: 1200,
            },
          },
        },
        headers: { cookie: "ri_session=abc", authorization: "Bearer abc", "stripe-signature": "t=1,v1=x" },
      },
      "event",
    );
    for (const value of ["jo@example.test", "Jo Example", "555 0100", "1 Example Road", "ri_session", "v1=x"])
      expect(text()).not.toContain(value);
    const [line] = json();
    expect(line.eventId).toBe("evt_1");
    expect(line.event.data.object.amount).toBe(1200);
    expect(line.event.data.object.billing_details.email).toBe("[redacted]");
  });

  it("survives circular objects", () => {
    const { logger, json } = capture();
    const loop: Record<string, unknown> = { id: 1 };
    loop.self = loop;
    logger.info({ loop }, "loop");
    expect(json()[0].loop).toEqual({ id: 1, self: "[circular]" });
  });
});

describe("scrubText", () => {
  it("keeps text that carries no parameters", () => {
    expect(scrubText('relation "users" does not exist')).toBe('relation "users" does not exist');
  });
});

describe("log format", () => {
  it.each([
    ["development", true, "pretty"],
    ["development", false, "json"],
    ["production", true, "json"],
    ["production", false, "json"],
    ["test", true, "json"],
  ] as const)("NODE_ENV=%s on a terminal=%s logs %s", (env, isTTY, format) => {
    expect(logFormat({ env, isTTY })).toBe(format);
  });

  it("pretty: one short line with time, level, message and key fields, personal data still redacted", () => {
    const { logger, text } = capture(true);
    logger.warn({ orderId: 42, email: "jo@example.test" }, "payment for an order that cannot be paid");
    const lines = text().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\] WARN: payment for an order that cannot be paid \{"orderId":42,"email":"\[redacted\]"\}$/,
    );
    expect(text()).not.toContain("jo@example.test");
    expect(text()).not.toContain("hostname");
  });
});
