/**
 * Wire details the fake Stripe server shares with its write handlers: Stripe's bracketed form and
 * query encoding (`metadata[order]=7`, `line_items[0][price]=…`, `created[gte]=…`) and its error
 * envelope (`{ error: { type, message, code?, param?, doc_url? } }`).
 */

export type Param = string | Param[] | ParamObject;
export interface ParamObject {
  [key: string]: Param;
}

export type StripeErrorType = "invalid_request_error" | "api_error" | "card_error" | "idempotency_error";

/** An error the fake answers with, in Stripe's envelope; the SDK maps it to its own error classes. */
export class FakeStripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  body(requestId: string): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replaceAll("_", "-")}`;
    }
    if (this.param) error.param = this.param;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error };
  }
}

export const invalidRequest = (message: string, param?: string, code?: string) =>
  new FakeStripeError(400, "invalid_request_error", message, code, param);

export const noSuch = (name: string, id: string, param: string, status = 400) =>
  new FakeStripeError(status, "invalid_request_error", `No such ${name}: '${id}'`, "resource_missing", param);

/**
 * Parses Stripe's bracketed encoding into nested objects; `[]` and numeric segments make arrays.
 * `metadata[a]=1&items[0][price]=p` → `{ metadata: { a: "1" }, items: [{ price: "p" }] }`.
 */
export function parseStripeParams(search: URLSearchParams): ParamObject {
  const root: ParamObject = {};
  for (const [rawKey, value] of search) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) throw invalidRequest(`Invalid parameter name: ${rawKey}`, rawKey);
    const [, head = "", brackets = ""] = match;
    const path = [head, ...[...brackets.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "")];
    assign(root, path, value, rawKey);
  }
  return arraysFromIndexes(root) as ParamObject;
}

function assign(root: ParamObject, path: string[], value: string, rawKey: string): void {
  let node: ParamObject = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] ?? "";
    const next = path[i + 1] === "" ? "[]" : undefined;
    const existing = node[key];
    if (next === "[]") {
      if (existing === undefined) node[key] = [value];
      else if (Array.isArray(existing)) existing.push(value);
      else throw invalidRequest(`Invalid array: ${rawKey}`, rawKey);
      return;
    }
    if (existing === undefined) node[key] = {};
    const child = node[key];
    if (typeof child !== "object" || Array.isArray(child))
      throw invalidRequest(`Invalid hash: ${rawKey}`, rawKey);
    node = child;
  }
  node[path[path.length - 1] ?? ""] = value;
}

/** `{ "0": a, "1": b }` becomes `[a, b]`, as Stripe reads indexed keys. */
function arraysFromIndexes(param: Param): Param {
  if (typeof param === "string") return param;
  if (Array.isArray(param)) return param.map(arraysFromIndexes);
  const keys = Object.keys(param);
  const converted = Object.fromEntries(keys.map((key) => [key, arraysFromIndexes(param[key] as Param)]));
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => converted[key] as Param);
  }
  return converted;
}

export function rejectUnknown(params: ParamObject, allowed: readonly string[]): void {
  const unknown = Object.keys(params).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw invalidRequest(`Received unknown parameter: ${unknown}`, unknown);
}

export function stringParam(params: ParamObject, name: string, label = name): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidRequest(`Invalid string: ${label}`, label);
  return value;
}

export function intParam(params: ParamObject, name: string, label = name): number | undefined {
  const value = stringParam(params, name, label);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value))
    throw invalidRequest(`Invalid integer: ${value}`, label, "parameter_invalid_integer");
  return Number(value);
}

export function objectParam(params: ParamObject, name: string, label = name): ParamObject | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "object" || Array.isArray(value))
    throw invalidRequest(`Invalid hash: ${label}`, label);
  return value;
}

/** Metadata values are strings; an empty string deletes the key, as on Stripe. */
export function metadataParam(params: ParamObject): Record<string, string> {
  const metadata = objectParam(params, "metadata") ?? {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string") throw invalidRequest(`Invalid metadata[${key}]`, `metadata[${key}]`);
    if (value !== "") out[key] = value;
  }
  return out;
}

export function stringList(params: ParamObject, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item): item is string => typeof item === "string"))
    throw invalidRequest(`Invalid array: ${name}`, name);
  return list;
}
