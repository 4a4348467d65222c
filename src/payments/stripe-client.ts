import Stripe from "stripe";
import type { Config } from "../config/env.ts";
import { STRIPE_API_VERSION } from "./stripe/stripe-objects.ts";

/**
 * The official SDK client. `STRIPE_API_BASE` (tests, local fakes) points it at another host;
 * payloads are read at API version 2024-06-20 through our own types (stripe-objects.ts).
 */
export function createStripeClient(config: Config): Stripe {
  if (!config.stripeSecretKey) throw new Error("STRIPE_SECRET_KEY is required for Stripe API calls");
  const options: Stripe.StripeConfig = {
    // biome-ignore lint/suspicious/noExplicitAny: the SDK types only the newest API version; we pin 2024-06-20
    apiVersion: STRIPE_API_VERSION as any,
    maxNetworkRetries: 2,
  };
  if (config.stripeApiBase) {
    const base = new URL(config.stripeApiBase);
    options.host = base.hostname;
    options.protocol = base.protocol === "http:" ? "http" : "https";
    if (base.port) options.port = Number(base.port);
  }
  return new Stripe(config.stripeSecretKey, options);
}
