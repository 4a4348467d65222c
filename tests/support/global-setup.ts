import { ensurePgliteTemplate } from "./pglite-template.ts";
import { ensureTemplate } from "./postgres-template.ts";

/** Build the migrated template once per run: a Postgres template database, or the embedded dump. */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) await ensureTemplate(url);
  else await ensurePgliteTemplate();
}
