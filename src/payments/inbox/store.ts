import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import type { StripeEventObject } from "../stripe/stripe-objects.ts";

export type EventSource = "webhook" | "sync" | "simulator";

/**
 * Writes a verified event to the inbox; `false` when it was already there (a duplicate delivery
 * changes nothing). An event whose livemode is not ours is kept for the record but `ignored`:
 * test and live data never mix.
 */
export async function storeEvent(
  db: Db,
  event: StripeEventObject,
  options: { livemode: boolean; source: EventSource; now: Date },
): Promise<boolean> {
  const foreign = event.livemode !== options.livemode;
  const row = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO stripe_events
          (id, type, created, livemode, api_version, payload, received_at, status, attempts,
           last_error, processed_at, source)
        VALUES (${event.id}, ${event.type}, ${new Date(event.created * 1000)}, ${event.livemode},
                ${event.api_version ?? null}, ${JSON.stringify(event)}::jsonb, ${options.now},
                ${foreign ? "ignored" : "received"}, 0,
                ${foreign ? `livemode ${event.livemode} does not match this installation` : null},
                ${foreign ? options.now : null}, ${options.source})
        ON CONFLICT (id) DO NOTHING
        RETURNING id`,
  );
  return row !== undefined;
}
