import { desc, inArray } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { toIssue } from "./issues.ts";
import { dataQualityIssues } from "./schema.ts";
import type { Issue } from "./types.ts";

/**
 * The fingerprints under which checks file an issue about an entity: every check keys the condition
 * by what it is about (`order:42`, `charge:ch_…`, `subscription:sub_…`), and the subscription
 * sanity checks by `spelling:`, `status:` and `mrr:` plus the subscription id.
 */
export function fingerprintsAbout(entities: {
  orderIds?: readonly number[];
  chargeIds?: readonly string[];
  subscriptionIds?: readonly string[];
}): string[] {
  return [
    ...(entities.orderIds ?? []).map((id) => `order:${id}`),
    ...(entities.chargeIds ?? []).map((id) => `charge:${id}`),
    ...(entities.subscriptionIds ?? []).flatMap((id) =>
      ["subscription", "spelling", "status", "mrr"].map((kind) => `${kind}:${id}`),
    ),
  ];
}

/** Issues (any status) filed under one of `fingerprints`, most recently seen first, at most `limit`. */
export async function issuesWithFingerprints(
  ctx: ServiceContext,
  fingerprints: readonly string[],
  limit: number,
): Promise<Issue[]> {
  if (fingerprints.length === 0) return [];
  const rows = await ctx.readDb
    .select()
    .from(dataQualityIssues)
    .where(inArray(dataQualityIssues.fingerprint, [...fingerprints]))
    .orderBy(desc(dataQualityIssues.lastSeen), desc(dataQualityIssues.id))
    .limit(limit);
  return rows.map(toIssue);
}
