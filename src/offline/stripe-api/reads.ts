/**
 * The fake Stripe server's read side: which paths it serves, list pages in Stripe's order with
 * cursor pagination and filters, retrieval by id, and one level of `expand[]`.
 */

import type {
  ListObject,
  StripeEventObject,
  SubscriptionObject,
} from "../../payments/stripe/stripe-objects.ts";
import {
  FakeStripeError,
  intParam,
  invalidRequest,
  noSuch,
  objectParam,
  type ParamObject,
  rejectUnknown,
  stringList,
  stringParam,
} from "./http.ts";
import type { FakeStripeStore } from "./store.ts";

type StoreKey = Exclude<keyof FakeStripeStore, "checkoutLineItems">;
type Stored = { id: string; created: number };

interface Resource {
  key: StoreKey;
  /** "No such <name>: 'id'" */
  name: string;
  /**
   * List filters besides pagination and `created`; each returns whether the object stays. The
   * `never` parameter lets each filter declare its own resource's type (the table mixes resources).
   */
  filters: Record<string, (object: never, value: string | string[]) => boolean>;
  /** Applied when the `status` filter is absent (subscriptions hide canceled ones, as Stripe does). */
  whenUnfiltered?: (object: never) => boolean;
}

const field =
  (name: string) =>
  (object: Record<string, unknown>, value: string | string[]): boolean =>
    object[name] === value;

const RESOURCES: Record<string, Resource> = {
  customers: { key: "customers", name: "customer", filters: { email: field("email") } },
  charges: {
    key: "charges",
    name: "charge",
    filters: { customer: field("customer"), payment_intent: field("payment_intent") },
  },
  refunds: {
    key: "refunds",
    name: "refund",
    filters: { charge: field("charge"), payment_intent: field("payment_intent") },
  },
  disputes: {
    key: "disputes",
    name: "dispute",
    filters: { charge: field("charge"), payment_intent: field("payment_intent") },
  },
  payment_intents: {
    key: "paymentIntents",
    name: "payment_intent",
    filters: { customer: field("customer") },
  },
  "checkout/sessions": {
    key: "checkoutSessions",
    name: "checkout.session",
    filters: {
      customer: field("customer"),
      payment_intent: field("payment_intent"),
      subscription: field("subscription"),
      status: field("status"),
    },
  },
  prices: { key: "prices", name: "price", filters: { product: field("product"), type: field("type") } },
  subscriptions: {
    key: "subscriptions",
    name: "subscription",
    filters: {
      customer: field("customer"),
      price: (sub: SubscriptionObject, price) => sub.items.data.some((item) => item.price.id === price),
      status: (sub: SubscriptionObject, status) =>
        status === "all" ||
        sub.status === status ||
        (status === "ended" && (sub.status === "canceled" || sub.status === "incomplete_expired")),
    },
    whenUnfiltered: (sub: SubscriptionObject) => sub.status !== "canceled",
  },
  invoices: {
    key: "invoices",
    name: "invoice",
    filters: { customer: field("customer"), subscription: field("subscription"), status: field("status") },
  },
  balance_transactions: {
    key: "balanceTransactions",
    name: "balance_transaction",
    filters: { source: field("source"), type: field("type"), currency: field("currency") },
  },
  events: {
    key: "events",
    name: "event",
    filters: {
      // `type` takes one name or a `charge.*` pattern; `types[]` several exact names.
      type: (event: StripeEventObject, pattern) =>
        typeof pattern === "string" && pattern.endsWith(".*")
          ? event.type.startsWith(pattern.slice(0, -1))
          : event.type === pattern,
      types: (event: StripeEventObject, types) => [types].flat().includes(event.type),
    },
  },
};

const PAGING_PARAMS = ["limit", "starting_after", "ending_before", "created", "expand"];

/** `GET /v1/<resource>` (a list page) and `GET /v1/<resource>/<id>`, as Stripe answers them. */
export function handleGet(store: FakeStripeStore, method: string, path: string, query: ParamObject): unknown {
  const found = matchResource(path);
  if (method !== "GET" || !found) throw unrecognized(method, path);
  const { resource, resourcePath, id, sub } = found;
  if (id === undefined) return expand(store, listPage(store, resource, query, resourcePath), query, "data.");
  const object = (store[resource.key] as Map<string, Stored>).get(id);
  if (sub === "line_items" && resource.key === "checkoutSessions") {
    if (!object) throw noSuch(resource.name, id, "id", 404);
    rejectUnknown(query, PAGING_PARAMS);
    return { object: "list", data: store.checkoutLineItems.get(id) ?? [], has_more: false, url: path };
  }
  if (sub !== undefined) throw unrecognized(method, path);
  rejectUnknown(query, ["expand"]);
  if (!object) throw noSuch(resource.name, id, "id", 404);
  return expand(store, object, query, "");
}

/** One level of `expand[]` (`data.customer`, `balance_transaction`): ids found in the store become objects. */
function expand<T>(store: FakeStripeStore, result: T, query: ParamObject, prefix: string): T {
  const paths = stringList(query, "expand") ?? [];
  if (paths.length === 0) return result;
  const targets = prefix
    ? (result as ListObject<Record<string, unknown>>).data
    : [result as Record<string, unknown>];
  const copies = targets.map((target) => ({ ...target }));
  for (const path of paths) {
    const key = path.startsWith(prefix) ? path.slice(prefix.length) : "";
    if (!/^[a-z_]+$/.test(key)) throw invalidRequest(`This property cannot be expanded (${path}).`, "expand");
    for (const copy of copies) {
      const id = copy[key];
      if (typeof id === "string") copy[key] = findById(store, id) ?? id;
    }
  }
  return (prefix ? { ...result, data: copies } : copies[0]) as T;
}

/**
 * A page in Stripe's order: newest `created` first, later-stored first within a second. Cursors
 * are positions in that order, so a cursor object outside the filter still pages correctly.
 */
function listPage(
  store: FakeStripeStore,
  resource: Resource,
  query: ParamObject,
  url: string,
): ListObject<Stored> {
  rejectUnknown(query, [...PAGING_PARAMS, ...Object.keys(resource.filters)]);
  const limit = intParam(query, "limit") ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest("Invalid limit: must be between 1 and 100", "limit");
  }
  const stored = [...(store[resource.key] as Map<string, Stored>).values()];
  const rank = new Map(stored.map((object, index) => [object.id, index]));
  const ordered = stored.sort(
    (a, b) => b.created - a.created || (rank.get(b.id) ?? 0) - (rank.get(a.id) ?? 0),
  );
  const position = new Map(ordered.map((object, index) => [object.id, index]));
  const inRange = createdFilter(query);
  const kept = ordered.filter((object) => inRange(object.created) && passesFilters(resource, object, query));

  const after = stringParam(query, "starting_after");
  const before = stringParam(query, "ending_before");
  const cursorAt = (id: string, param: string) => {
    const at = position.get(id);
    if (at === undefined) throw noSuch(resource.name, id, param);
    return at;
  };
  if (before !== undefined) {
    const at = cursorAt(before, "ending_before");
    const earlier = kept.filter((object) => (position.get(object.id) ?? 0) < at);
    return { object: "list", data: earlier.slice(-limit), has_more: earlier.length > limit, url };
  }
  const from = after === undefined ? -1 : cursorAt(after, "starting_after");
  const rest = kept.filter((object) => (position.get(object.id) ?? 0) > from);
  return { object: "list", data: rest.slice(0, limit), has_more: rest.length > limit, url };
}

function passesFilters(resource: Resource, object: Stored, query: ParamObject): boolean {
  if (query.status === undefined && resource.whenUnfiltered && !resource.whenUnfiltered(object as never))
    return false;
  return Object.entries(resource.filters).every(([name, keep]) => {
    const value = name === "types" ? stringList(query, name) : stringParam(query, name);
    return value === undefined || keep(object as never, value);
  });
}

/** `created=<ts>` or `created[gt|gte|lt|lte]=<ts>`, as on every Stripe list. */
function createdFilter(query: ParamObject): (created: number) => boolean {
  if (query.created === undefined) return () => true;
  if (typeof query.created === "string") {
    const exact = toTimestamp(query.created, "created");
    return (created) => created === exact;
  }
  const range = objectParam(query, "created") ?? {};
  rejectUnknown(range, ["gt", "gte", "lt", "lte"]);
  const bound = (op: string) => {
    const value = stringParam(range, op, `created[${op}]`);
    return value === undefined ? undefined : toTimestamp(value, `created[${op}]`);
  };
  const [gt, gte, lt, lte] = [bound("gt"), bound("gte"), bound("lt"), bound("lte")];
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}

function toTimestamp(value: string, param: string): number {
  if (!/^\d+$/.test(value))
    throw invalidRequest(`Invalid timestamp: must be an integer Unix timestamp`, param);
  return Number(value);
}

function matchResource(
  path: string,
): { resource: Resource; resourcePath: string; id?: string; sub?: string } | undefined {
  for (const [name, resource] of Object.entries(RESOURCES)) {
    const resourcePath = `/v1/${name}`;
    if (path === resourcePath) return { resource, resourcePath };
    if (!path.startsWith(`${resourcePath}/`)) continue;
    const [id, sub, ...more] = path.slice(resourcePath.length + 1).split("/");
    if (id && more.length === 0) return { resource, resourcePath, id: decodeURIComponent(id), sub };
  }
  return undefined;
}

function findById(store: FakeStripeStore, id: string): unknown {
  for (const [key, map] of Object.entries(store)) {
    if (key !== "checkoutLineItems" && map.has(id)) return map.get(id);
  }
  return undefined;
}

export function unrecognized(method: string, path: string): FakeStripeError {
  return new FakeStripeError(
    404,
    "invalid_request_error",
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  );
}
