import { sql } from "drizzle-orm";
import { type Actor, audit } from "../../audit/index.ts";
import type { Db } from "../../db/client.ts";
import { ValidationError } from "../../shared/errors.ts";
import { eachDay, endOfPeriod, parseDay, startOfDay } from "../core/periods.ts";
import type { BuildResult, SnapshotRange } from "../types.ts";
import { buildCohorts } from "./cohorts.ts";
import { buildLedger, buildOrders, buildProducts, type DayRange } from "./facts.ts";
import { refreshLaterCustomerRows } from "./later-days.ts";
import { buildCustomerMrr } from "./mrr.ts";

/** Serialises snapshot builds (worker and CLI) so two never interleave their delete + insert. */
const SNAPSHOT_LOCK = 7_240_006;
const MAX_DAYS = 3700;

/**
 * Rebuild the snapshots of `from`..`to` in one transaction (delete + insert, idempotent: the same
 * data gives identical rows), audited as `snapshots.build`. Daily tables are replaced for the
 * range, cohorts for the months it touches, customer MRR as a whole (a late event moves it onward).
 */
export async function buildSnapshots(
  db: Db,
  range: SnapshotRange & { now?: Date },
  actor: Actor,
): Promise<BuildResult> {
  const from = parseDay(range.from, "from");
  const to = parseDay(range.to, "to");
  if (to < from) throw new ValidationError("to: must be on or after from", "to");
  const days = eachDay(from, to).length;
  if (days > MAX_DAYS) throw new ValidationError(`to: at most ${MAX_DAYS} days per build`, "to");
  const r: DayRange = {
    from,
    to,
    timezone: range.timezone,
    start: startOfDay(from, range.timezone),
    end: endOfPeriod(to, range.timezone),
  };
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SNAPSHOT_LOCK})`);
    // Daily x product groups of a year do not fit the default 4 MB: let them hash in memory.
    await tx.execute(sql`SET LOCAL work_mem = '128MB'`);
    const rows =
      (await buildLedger(tx, r)) +
      (await buildOrders(tx, r)) +
      (await refreshLaterCustomerRows(tx, r)) +
      (await buildProducts(tx, r)) +
      (await buildCohorts(tx, r)) +
      (await buildCustomerMrr(tx, r.timezone));
    await audit(
      tx,
      actor,
      "snapshots.build",
      { type: "snapshots", id: `${from}..${to}` },
      { from, to, timezone: r.timezone, days, rows },
      null,
      range.now ?? new Date(),
    );
    return { days, rows };
  });
}
