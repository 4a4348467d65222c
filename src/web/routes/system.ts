import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context.ts";
import { isMigrated } from "../../db/migrate.ts";
import type { Router } from "../route-access.ts";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/** Static assets: our own CSS/JS plus htmx and ECharts served from node_modules (no build step). */
const ASSETS: Record<string, { file: string; type: string }> = {
  "app.css": { file: join(here, "../assets/app.css"), type: "text/css; charset=utf-8" },
  "shop.css": { file: join(here, "../assets/shop.css"), type: "text/css; charset=utf-8" },
  "app.js": { file: join(here, "../assets/app.js"), type: "text/javascript; charset=utf-8" },
  "htmx.js": { file: require.resolve("htmx.org/dist/htmx.min.js"), type: "text/javascript; charset=utf-8" },
  "echarts.js": {
    file: require.resolve("echarts/dist/echarts.min.js"),
    type: "text/javascript; charset=utf-8",
  },
};
const cache = new Map<string, Buffer>();

export function registerSystemRoutes(r: Router, ctx: AppContext): void {
  r.get("/healthz", "public", (c) => c.json({ status: "ok" }));

  r.get("/readyz", "public", async (c) => {
    try {
      await ctx.db.execute(sql`SELECT 1`);
      if (!(await isMigrated(ctx.database)))
        return c.json({ status: "not_ready", reason: "migrations pending" }, 503);
      return c.json({ status: "ready", database: ctx.database.kind });
    } catch {
      return c.json({ status: "not_ready", reason: "database unreachable" }, 503);
    }
  });

  r.get("/assets/:name", "public", (c) => {
    const name = c.req.param("name") ?? "";
    // Own keys only: "valueOf" or "constructor" must be a 404, not an inherited function (fuzz finding).
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return c.notFound();
    let body = cache.get(asset.file);
    if (!body) {
      body = readFileSync(asset.file);
      if (ctx.config.production) cache.set(asset.file, body);
    }
    c.header("Content-Type", asset.type);
    c.header("Cache-Control", ctx.config.production ? "public, max-age=3600" : "no-cache");
    return c.body(new Uint8Array(body));
  });
}
