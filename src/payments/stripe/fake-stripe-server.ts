/**
 * A local stand-in for the part of Stripe's REST API we call, so tests and the offline demo drive
 * the real `stripe` SDK without reaching Stripe: list endpoints with cursor pagination, retrieval,
 * refunds, Checkout Sessions. Responses and errors use Stripe's shapes, so the SDK's auto-pagination
 * and error classes behave as against the real API.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import type { Clock } from "../../shared/clock.ts";
import { createStripeFactory, type StripeFactory } from "./event-factory.ts";
import { FakeStripeError, type ParamObject, parseStripeParams } from "./fake-stripe-http.ts";
import { handleGet, unrecognized } from "./fake-stripe-reads.ts";
import {
  checkoutPage,
  createCheckoutSession,
  createRefund,
  expireCheckoutSession,
} from "./fake-stripe-writes.ts";
import type {
  BalanceTransactionObject,
  ChargeObject,
  CheckoutSessionObject,
  CustomerObject,
  DisputeObject,
  InvoiceObject,
  PaymentIntentObject,
  PriceObject,
  RefundObject,
  StripeEventObject,
  SubscriptionObject,
} from "./stripe-objects.ts";
import { STRIPE_API_VERSION } from "./stripe-objects.ts";

export interface CheckoutLineItem {
  id: string;
  object: "item";
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  price: PriceObject;
  quantity: number;
}

/** Everything the fake knows, by id; tests may read and change it between requests. */
export interface FakeStripeStore {
  customers: Map<string, CustomerObject>;
  charges: Map<string, ChargeObject>;
  refunds: Map<string, RefundObject>;
  disputes: Map<string, DisputeObject>;
  paymentIntents: Map<string, PaymentIntentObject>;
  checkoutSessions: Map<string, CheckoutSessionObject>;
  prices: Map<string, PriceObject>;
  subscriptions: Map<string, SubscriptionObject>;
  invoices: Map<string, InvoiceObject>;
  balanceTransactions: Map<string, BalanceTransactionObject>;
  events: Map<string, StripeEventObject>;
  /** Line items of each Checkout Session, by session id. */
  checkoutLineItems: Map<string, CheckoutLineItem[]>;
}

type StoreKey = Exclude<keyof FakeStripeStore, "checkoutLineItems">;

export type FakeStripeSeed = {
  [K in StoreKey]?: FakeStripeStore[K] extends Map<string, infer V> ? V[] : never;
};

export interface FakeStripeOptions {
  /** Seed of the ids the fake makes (refunds, sessions, events); keep it apart from the test's own. */
  seed?: number | string;
  /** When set, only these keys are accepted; otherwise any well-formed `sk_`/`rk_` key is. */
  apiKeys?: string[];
  clock?: Clock;
  livemode?: boolean;
  /** Called with each event the fake raises (refund.created, charge.refunded), as a webhook would be. */
  onEvent?: (event: StripeEventObject) => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: ParamObject;
  body: ParamObject;
  apiKey: string | null;
  stripeVersion: string | null;
  idempotencyKey: string | null;
}

export interface FakeStripe {
  url: string;
  host: string;
  port: number;
  store: FakeStripeStore;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** What the write handlers get from the server. */
export interface FakeContext {
  store: FakeStripeStore;
  factory: StripeFactory;
  baseUrl: string;
  emit(event: StripeEventObject): void;
}

export async function startFakeStripe(
  seed: FakeStripeSeed = {},
  options: FakeStripeOptions = {},
): Promise<FakeStripe> {
  const store = createStore(seed);
  const requests: RecordedRequest[] = [];
  const clock = options.clock ?? { now: () => new Date() };
  const factory = createStripeFactory({
    seed: options.seed ?? "fake-stripe-server",
    livemode: options.livemode ?? false,
    now: clock.now(),
  });
  const idempotent = new Map<string, { fingerprint: string; body: unknown }>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const ctx: FakeContext = {
    store,
    factory,
    baseUrl,
    emit(event) {
      store.events.set(event.id, event);
      options.onEvent?.(event);
    },
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    readBody(req).then(
      (raw) => respond(req, res, raw),
      () => res.destroy(),
    );
  });

  function respond(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const requestId = factory.ids.next("req");
    const url = new URL(req.url ?? "/", baseUrl);
    const method = req.method ?? "GET";
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "request-id": requestId,
      "stripe-version": header(req, "stripe-version") ?? STRIPE_API_VERSION,
    };
    const send = (status: number, body: unknown) => {
      res.writeHead(status, headers).end(JSON.stringify(body, null, 2));
    };
    const idempotencyKey = header(req, "idempotency-key");
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: {},
      body: {},
      apiKey: presentedKey(header(req, "authorization")),
      stripeVersion: header(req, "stripe-version"),
      idempotencyKey,
    };
    try {
      const checkout = /^\/c\/pay\/([^/]+)$/.exec(url.pathname);
      if (method === "GET" && checkout) {
        res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end(checkoutPage(ctx, checkout[1] ?? ""));
        return;
      }
      requests.push(recorded);
      authenticate(header(req, "authorization"), recorded.apiKey, options.apiKeys);
      recorded.query = parseStripeParams(url.searchParams);
      recorded.body = method === "POST" ? parseStripeParams(new URLSearchParams(raw)) : {};
      if (method !== "POST") {
        send(200, handleGet(store, method, url.pathname, recorded.query));
        return;
      }
      if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
      const fingerprint = `${url.pathname}?${raw}`;
      const earlier = idempotencyKey ? idempotent.get(idempotencyKey) : undefined;
      if (earlier && earlier.fingerprint !== fingerprint) {
        throw new FakeStripeError(
          400,
          "idempotency_error",
          "Keys for idempotent requests can only be used with the same parameters they were first used with.",
        );
      }
      if (earlier) {
        headers["idempotent-replayed"] = "true";
        send(200, earlier.body);
        return;
      }
      factory.setNow(clock.now());
      const created = routePost(url.pathname, recorded.body);
      if (idempotencyKey) idempotent.set(idempotencyKey, { fingerprint, body: created });
      send(200, created);
    } catch (error) {
      if (error instanceof FakeStripeError) {
        send(error.status, error.body(requestId));
        return;
      }
      // A bug in the fake itself: answer as Stripe does for its own failures, with the cause for the test.
      const message = error instanceof Error ? error.message : String(error);
      send(500, { error: { type: "api_error", message: `Fake Stripe failed: ${message}` } });
    }
  }

  function routePost(path: string, body: ParamObject): unknown {
    if (path === "/v1/refunds") return createRefund(ctx, body);
    if (path === "/v1/checkout/sessions") return createCheckoutSession(ctx, body);
    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (expire) return expireCheckoutSession(ctx, decodeURIComponent(expire[1]!));
    throw unrecognized("POST", path);
  }

  return {
    url: baseUrl,
    host: "127.0.0.1",
    port,
    store,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/** A real `stripe` client pointed at the fake, pinned to the API version our data is shaped for. */
export function stripeClientFor(fake: Pick<FakeStripe, "host" | "port">, apiKey = "sk_test_fake"): Stripe {
  return new Stripe(apiKey, {
    host: fake.host,
    port: fake.port,
    protocol: "http",
    // The SDK's types name only its latest version; our account and webhooks are pinned to 2024-06-20.
    apiVersion: STRIPE_API_VERSION as Stripe.LatestApiVersion,
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

function createStore(seed: FakeStripeSeed): FakeStripeStore {
  const byId = <T extends { id: string }>(objects: T[] = []) =>
    new Map(objects.map((object) => [object.id, structuredClone(object)]));
  return {
    customers: byId(seed.customers),
    charges: byId(seed.charges),
    refunds: byId(seed.refunds),
    disputes: byId(seed.disputes),
    paymentIntents: byId(seed.paymentIntents),
    checkoutSessions: byId(seed.checkoutSessions),
    prices: byId(seed.prices),
    subscriptions: byId(seed.subscriptions),
    invoices: byId(seed.invoices),
    balanceTransactions: byId(seed.balanceTransactions),
    events: byId(seed.events),
    checkoutLineItems: new Map(),
  };
}

/** The key of a Bearer header (what the SDK sends) or of Basic auth (what curl -u sends). */
function presentedKey(authorization: string | null): string | null {
  if (!authorization) return null;
  const [scheme = "", credentials = ""] = authorization.split(" ", 2);
  if (scheme.toLowerCase() === "bearer") return credentials;
  if (scheme.toLowerCase() === "basic")
    return Buffer.from(credentials, "base64").toString("utf8").split(":")[0] ?? "";
  return "";
}

/** Stripe's answers to a missing or unusable key (401, which the SDK raises as StripeAuthenticationError). */
function authenticate(authorization: string | null, key: string | null, allowed: string[] | undefined): void {
  if (!authorization) {
    throw new FakeStripeError(
      401,
      "invalid_request_error",
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  const wellFormed = key !== null && /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/.test(key);
  if (!wellFormed || (allowed && !allowed.includes(key))) {
    throw new FakeStripeError(401, "invalid_request_error", `Invalid API Key provided: ${redact(key ?? "")}`);
  }
}

function redact(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(key.length - 12)}${key.slice(-4)}` : "****";
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" && value !== "" ? value : null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
