import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { stripeEvents } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import type { Check, Finding } from "../types.ts";

/** The oldest Stripe API version whose payloads the readers are written and tested for. */
export const OLDEST_API_VERSION = "2024-06-20";
/** The newest version the Stripe SDK in package.json knows: the newest shapes the readers accept. */
export const NEWEST_API_VERSION: string =
  (Stripe as unknown as { API_VERSION?: string }).API_VERSION ?? "2026-10-28.endive";

/** Events received this long ago or less are looked at (an endpoint fixed since then stops showing). */
export const API_VERSION_WINDOW_DAYS = 30;

type Row = { api_version: string; events: number; example: string; last_received: Date | string };

/** `YYYY-MM-DD` of a version such as `2025-09-30.clover`, or null when it is not one. */
export function versionDate(version: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})(\.[a-z]+)?$/.exec(version);
  return match ? match[1]! : null;
}

/** Where a version stands against the supported range. */
export function versionStanding(version: string): "supported" | "newer" | "older" | "unknown" {
  const date = versionDate(version);
  if (date === null) return "unknown";
  if (date > versionDate(NEWEST_API_VERSION)!) return "newer";
  if (date < OLDEST_API_VERSION) return "older";
  return "supported";
}

/** Stripe events whose `api_version` is outside the range the readers know. */
export const apiVersions: Check = {
  name: "api-versions",
  description: `Stripe events received in the last ${API_VERSION_WINDOW_DAYS} days whose api_version is outside the supported range (${OLDEST_API_VERSION} to ${NEWEST_API_VERSION}): newer ones are applied with the newest reader, older ones may lack fields.`,
  severity: "warning",
  fix: `Set the webhook endpoint's API version (Stripe dashboard → Developers → Webhooks) to one from ${OLDEST_API_VERSION} to ${NEWEST_API_VERSION}, or upgrade revintel to a release whose Stripe SDK knows the newer version; then replay anything that failed (\`revintel stripe replay --failed\`).`,
  async run({ db, now }) {
    const since = new Date(now.getTime() - API_VERSION_WINDOW_DAYS * 86_400_000).toISOString();
    const rows = await queryRows<Row>(
      db,
      sql`SELECT ${stripeEvents.apiVersion} AS api_version, count(*)::int AS events, min(${stripeEvents.id}) AS example,
                 max(${stripeEvents.receivedAt}) AS last_received
          FROM ${stripeEvents}
          WHERE ${stripeEvents.apiVersion} IS NOT NULL AND ${stripeEvents.receivedAt} >= ${since}::timestamptz
          GROUP BY ${stripeEvents.apiVersion} ORDER BY ${stripeEvents.apiVersion}`,
    );
    const findings: Finding[] = [];
    for (const r of rows) {
      const standing = versionStanding(r.api_version);
      if (standing === "supported") continue;
      findings.push({
        fingerprint: `api-version:${r.api_version}`,
        title:
          standing === "newer"
            ? `${r.events} Stripe event(s) carry API version ${r.api_version}, newer than ${NEWEST_API_VERSION} (read with the newest reader)`
            : `${r.events} Stripe event(s) carry API version ${r.api_version}, outside the supported range ${OLDEST_API_VERSION} to ${NEWEST_API_VERSION}`,
        details: {
          apiVersion: r.api_version,
          standing,
          events: Number(r.events),
          exampleEventId: r.example,
          lastReceivedAt: new Date(r.last_received).toISOString(),
        },
      });
    }
    return findings;
  },
};
