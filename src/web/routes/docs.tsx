import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AppContext } from "../../context.ts";
import type { Router } from "../route-access.ts";
import { Layout } from "../views/layout.tsx";
import { Markdown } from "../views/markdown.tsx";

const here = dirname(fileURLToPath(import.meta.url));
export const KPI_DEFINITIONS_FILE = join(here, "../../../docs/kpi_definitions.md");

/** Every KPI card links here: the written definition is one click from every number. */
export function registerDocsRoutes(r: Router, _ctx: AppContext): void {
  r.get("/docs/kpis", "signed_in", async (c) => {
    const source = await readFile(KPI_DEFINITIONS_FILE, "utf8").catch(() => null);
    return c.html(
      <Layout title="KPI definitions" user={c.get("user")} csrfToken={c.get("csrfToken")} path="/docs/kpis">
        <section class="panel doc">
          {source ? (
            <Markdown source={source} />
          ) : (
            <>
              <h1>KPI definitions</h1>
              <p class="alert alert-warn">The KPI definitions document has not been published yet.</p>
            </>
          )}
        </section>
      </Layout>,
    );
  });
}
