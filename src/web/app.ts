import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { MAX_PRODUCT_IMAGE_BYTES } from "../catalog/index.ts";
import type { AppContext } from "../context.ts";
import { asCaller } from "../db/fair-pool.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { requestContext } from "./middleware/context.ts";
import { csrfProtection } from "./middleware/csrf.ts";
import { handleError } from "./middleware/error-handler.ts";
import { loadPrincipal } from "./middleware/session.ts";
import type { AppEnv } from "./request-context.ts";
import { Router } from "./route-access.ts";
import { AREAS } from "./routes/index.ts";
import { webhookBodyLimit } from "./routes/webhooks.ts";

export const MAX_BODY_BYTES = 1024 * 1024;
const IMAGE_UPLOAD_PATH = /^\/admin\/products\/\d+\/image$/;

export function createApp(ctx: AppContext): { app: Hono<AppEnv>; router: Router } {
  const app = new Hono<AppEnv>();
  // Each request's reads take their turns with other requests' on the read pools (a dashboard's twenty
  // reads do not hold up an API client's few).
  app.use("*", (_c, next) => asCaller(next));
  app.use("*", requestContext(ctx));
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // ECharts and htmx set inline styles; no inline scripts are allowed.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
      strictTransportSecurity: ctx.config.production ? "max-age=31536000; includeSubDomains" : false,
      referrerPolicy: "same-origin",
    }),
  );
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError("request.too_large", "Request body is larger than 1 MiB", 413);
    },
  });
  // A product image may be up to 2 MB: its upload form gets that much room (plus the form's own parts).
  const limitImage = bodyLimit({
    maxSize: MAX_PRODUCT_IMAGE_BYTES + 64 * 1024,
    onError: () => {
      throw new ValidationError("image: must be at most 2 MB", "image");
    },
  });
  // The webhook has its own limit that answers 400 (Stripe contract: never 5xx, never 413).
  app.use("*", (c, next) =>
    c.req.path === "/webhooks/stripe"
      ? webhookBodyLimit(c, next)
      : IMAGE_UPLOAD_PATH.test(c.req.path)
        ? limitImage(c, next)
        : limitBody(c, next),
  );
  app.use("*", loadPrincipal());
  app.use("*", csrfProtection());
  const router = new Router(app);
  for (const register of AREAS) register(router, ctx);
  app.notFound((c) => handleError(new AppError("not_found", "There is nothing at this address.", 404), c));
  app.onError(handleError);
  return { app, router };
}
