import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { addDays, dayOf } from "../../analytics/core/periods.ts";
import type { AppContext } from "../../context.ts";
import {
  canExport,
  checkExportRequest,
  exportPack,
  PACK_NAMES,
  type PackName,
  zipSink,
} from "../../exports/index.ts";
import { ForbiddenError, NotFoundError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validate.ts";
import { actorFrom } from "../request-actor.ts";
import type { Router } from "../route-access.ts";
import { ExportsPage } from "../views/exports.tsx";
import { Layout } from "../views/layout.tsx";
import { Markdown } from "../views/markdown.tsx";

const here = dirname(fileURLToPath(import.meta.url));
const EXPORTS_DOC = join(here, "../../../docs/exports.md");

const downloadQuery = z.object({
  from: z.string(),
  to: z.string(),
  pii: z.enum(["1", "0", "true", "false", "on"]).optional(),
});

function isPack(value: string): value is PackName {
  return (PACK_NAMES as readonly string[]).includes(value);
}

/**
 * `/exports` lists the packs the caller may download; `/exports/:pack.zip` streams one as a zip.
 * The route only requires `exports.view`: the pack is a path parameter, so its own permission
 * (and `exports.pii` for customer e-mails and names) is checked in the handler.
 */
export function registerExportsRoutes(r: Router, ctx: AppContext): void {
  r.get("/exports", "exports.view", (c) => {
    const role = c.get("principal")?.role ?? null;
    const yesterday = addDays(dayOf(ctx.clock.now(), ctx.config.reportingTimezone), -1);
    return c.html(
      <ExportsPage
        user={c.get("user")}
        csrfToken={c.get("csrfToken")}
        packs={PACK_NAMES.filter((pack) => canExport(role, pack))}
        piiAllowed={canExport(role, "bi", true)}
        defaultFrom={addDays(yesterday, -29)}
        defaultTo={yesterday}
        timezone={ctx.config.reportingTimezone}
      />,
    );
  });

  // `:file` is "<pack>.zip"; Hono cannot put a literal suffix after a parameter.
  r.get("/exports/:file", "exports.view", (c) => {
    const pack = /^([a-z]+)\.zip$/.exec(c.req.param("file") ?? "")?.[1] ?? "";
    if (!isPack(pack)) throw new NotFoundError("Export pack");
    const role = c.get("principal")?.role ?? null;
    if (!canExport(role, pack)) throw new ForbiddenError("Your role may not download this export pack");
    const query = parseInput(downloadQuery, c.req.query());
    const pii = query.pii === "1" || query.pii === "true" || query.pii === "on";
    if (pii && !canExport(role, pack, true))
      throw new ForbiddenError("Only an admin may export customer PII");
    const request = { pack, from: query.from, to: query.to, pii };
    // Validate before the first byte: once streaming starts, an error can only cut the download short.
    checkExportRequest(request);

    const out = new PassThrough();
    exportPack(ctx, request, zipSink(out, ctx.clock.now()), actorFrom(c)).catch((err: unknown) => {
      c.get("logger").error({ err, pack }, "export failed while streaming");
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    const filename = `${pack}_${query.from}_${query.to}${pii ? "_pii" : ""}.zip`;
    return c.body(Readable.toWeb(out) as ReadableStream, 200, {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    });
  });

  r.get("/docs/exports", "exports.view", async (c) => {
    const source = await readFile(EXPORTS_DOC, "utf8").catch(() => null);
    return c.html(
      <Layout title="Export columns" user={c.get("user")} csrfToken={c.get("csrfToken")} path="/exports">
        <section class="panel doc">
          {source ? (
            <Markdown source={source.replaceAll("(kpi_definitions.md#", "(/docs/kpis#")} />
          ) : (
            <p class="alert alert-warn">The export documentation has not been published yet.</p>
          )}
        </section>
      </Layout>,
    );
  });
}
