import { and, asc, desc, eq, gt, gte, like, lt, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceContext } from "../../context.ts";
import { daySchema } from "../../shared/dates.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { scrubText } from "../../shared/logger.ts";
import { parseInput } from "../../shared/validate.ts";
import { EVENT_STATUSES, stripeEvents } from "../schema.ts";
import { type ExplainedError, explainEventError } from "./explain-error.ts";

const blank = (v: unknown) => (v === "" ? undefined : v);

/** The events page's filters (query string): status, type (exact or a family prefix `charge.`), days. */
export const eventFilterSchema = z
  .object({
    status: z.preprocess(blank, z.enum(EVENT_STATUSES).optional()),
    type: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .regex(/^[a-z_.]{1,80}$/, "type: lower-case letters, dots and underscores only")
        .optional(),
    ),
    from: z.preprocess(blank, daySchema.optional()),
    to: z.preprocess(blank, daySchema.optional()),
    /** Keyset cursor: the arrival number of the last row of the previous page. */
    after: z.preprocess(blank, z.coerce.number().int().positive().max(2_147_483_647).optional()),
    /** Keyset cursor going back: the arrival number of the first row of the page after this one. */
    before: z.preprocess(blank, z.coerce.number().int().positive().max(2_147_483_647).optional()),
  })
  .refine((f) => !f.from || !f.to || f.to >= f.from, { path: ["to"], message: "must be on or after from" });
export type EventFilter = z.infer<typeof eventFilterSchema>;

export interface EventSummary {
  id: string;
  type: string;
  /** The Stripe object the event is about (`ch_…`, `sub_…`), when the payload names one. */
  objectId: string | null;
  objectType: string | null;
  status: (typeof EVENT_STATUSES)[number];
  attempts: number;
  created: Date;
  receivedAt: Date;
  receivedSeq: number;
  nextAttemptAt: Date | null;
  source: string;
  error: ExplainedError | null;
}

export interface EventPage {
  items: EventSummary[];
  /** Cursor of the next page (older events), null on the last page. */
  next: number | null;
  /** Cursor of the previous page (newer events), null on the first page. */
  prev: number | null;
}

export const EVENTS_PAGE_SIZE = 25;

const e = stripeEvents;
const SUMMARY = {
  id: e.id,
  type: e.type,
  status: e.status,
  attempts: e.attempts,
  created: e.created,
  receivedAt: e.receivedAt,
  receivedSeq: e.receivedSeq,
  nextAttemptAt: e.nextAttemptAt,
  source: e.source,
  lastError: e.lastError,
  // Only the object's id and kind: a list never loads whole payloads.
  objectId: sql<string | null>`${e.payload}->'data'->'object'->>'id'`,
  objectType: sql<string | null>`${e.payload}->'data'->'object'->>'object'`,
};

type SummaryRow = Omit<EventSummary, "error" | "receivedSeq"> & {
  receivedSeq: number | null;
  lastError: string | null;
};

function summary(row: SummaryRow): EventSummary {
  return {
    id: row.id,
    type: row.type,
    objectId: row.objectId,
    objectType: row.objectType,
    status: row.status,
    attempts: row.attempts,
    created: row.created,
    receivedAt: row.receivedAt,
    receivedSeq: row.receivedSeq ?? 0,
    nextAttemptAt: row.nextAttemptAt,
    source: row.source,
    error: explainEventError(row.lastError),
  };
}

/** Stored events newest first (by arrival), filtered, one keyset page at a time. */
export async function listStripeEvents(
  ctx: ServiceContext,
  rawFilter: unknown,
  pageSize = EVENTS_PAGE_SIZE,
): Promise<EventPage> {
  const filter = parseInput(eventFilterSchema, rawFilter);
  const where: SQL[] = [];
  if (filter.status) where.push(eq(e.status, filter.status));
  if (filter.type) {
    where.push(filter.type.endsWith(".") ? like(e.type, `${filter.type}%`) : eq(e.type, filter.type));
  }
  // Days are UTC, as the page shows times.
  if (filter.from) where.push(gte(e.receivedAt, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) where.push(lt(e.receivedAt, new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000)));
  if (filter.after) where.push(lt(e.receivedSeq, filter.after));
  // Going back reads the newer rows nearest the cursor (ascending), then shows them newest first.
  const back = filter.before !== undefined && filter.after === undefined;
  if (back) where.push(gt(e.receivedSeq, filter.before!));
  const rows = await ctx.readDb
    .select(SUMMARY)
    .from(e)
    .where(where.length ? and(...where) : undefined)
    .orderBy(back ? asc(e.receivedSeq) : desc(e.receivedSeq))
    .limit(pageSize + 1);
  const more = rows.length > pageSize;
  const items = rows.slice(0, pageSize).map(summary);
  if (back) items.reverse();
  const first = items[0]?.receivedSeq ?? null;
  const last = items.at(-1)?.receivedSeq ?? null;
  return {
    items,
    // Back from a page, there is always that page further on; forward, only when a row was left over.
    next: back || more ? last : null,
    prev: back ? (more ? first : null) : filter.after ? first : null,
  };
}

export interface EventDetail extends EventSummary {
  livemode: boolean;
  apiVersion: string | null;
  processedAt: Date | null;
  /** The raw stored error (root cause, values scrubbed), for the details toggle. */
  lastError: string | null;
  payload: unknown;
}

export async function getStripeEvent(ctx: ServiceContext, id: string): Promise<EventDetail> {
  const [row] = await ctx.readDb
    .select({
      ...SUMMARY,
      livemode: e.livemode,
      apiVersion: e.apiVersion,
      processedAt: e.processedAt,
      payload: e.payload,
    })
    .from(e)
    .where(eq(e.id, id));
  if (!row) throw new NotFoundError(`Stripe event ${id}`);
  return {
    ...summary(row),
    livemode: row.livemode,
    apiVersion: row.apiVersion,
    processedAt: row.processedAt,
    // Scrubbed again on the way out: rows stored before the inbox scrubbed errors may echo a value.
    lastError: row.lastError === null ? null : scrubText(row.lastError),
    payload: row.payload,
  };
}
