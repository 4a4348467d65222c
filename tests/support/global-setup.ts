import { ensureTemplate } from "./postgres-template.ts";

/** On Postgres, build the migrated template database once per run. */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) await ensureTemplate(url);
}
