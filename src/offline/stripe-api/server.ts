/**
 * A local stand-in for the part of Stripe's REST API we call, so tests and the offline demo drive
 * the real `stripe` SDK without reaching Stripe: list endpoints with cursor pagination, retrieval,
 * refunds, Checkout Sessions. Responses and errors use Stripe's shapes, so the SDK's auto-pagination
 * and error classes behave as against the real API.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { STRIPE_API_VERSION } from "../../payments/stripe/stripe-objects.ts";
import { createStripeFactory } from "../objects/event-factory.ts";
import { FakeStripeError, type ParamObject, parseStripeParams } from "./http.ts";
import { handleGet, unrecognized } from "./reads.ts";
import type {
  FakeContext,
  FakeStripeOptions,
  FakeStripeSeed,
  FakeStripeStore,
  RecordedRequest,
} from "./store.ts";
import { checkoutPage, createCheckoutSession, createRefund, expireCheckoutSession } from "./writes.ts";

export type {
  CheckoutLineItem,
  FakeContext,
  FakeStripeOptions,
  FakeStripeSeed,
  FakeStripeStore,
  RecordedRequest,
} from "./store.ts";

export interface FakeStripe {
  url: string;
  host: string;
  port: number;
  store: FakeStripeStore;
  requests: RecordedRequest[];
  close(): Promise<void>;
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
