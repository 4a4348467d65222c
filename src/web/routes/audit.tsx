import { Readable } from "node:stream";
import { audit, iterateAuditEvents, listAuditEvents, verifyAuditChain } from "../../audit/index.ts";
import { listUsers } from "../../auth/index.ts";
import type { AppContext } from "../../context.ts";
import { type CsvValue, csvStream } from "../../exports/csv.ts";
import { actorFrom } from "../request-actor.ts";
import type { Router } from "../route-access.ts";
import { AuditPage, ChainStatus } from "../views/audit.tsx";
import { parseAuditQuery, toAuditFilter } from "../views/audit-filter.ts";
import { Layout } from "../views/layout.tsx";

const PAGE_SIZE = 50;
export const AUDIT_CSV_HEADER = [
  "seq",
  "at",
  "actor_type",
  "actor_id",
  "actor_role",
  "action",
  "target_type",
  "target_id",
  "before",
  "after",
  "request_id",
  "ip_hash",
  "prev_hash",
  "hash",
] as const;

/** The audit log is small and must show the latest writes, so it reads the primary. */
export function registerAuditRoutes(r: Router, ctx: AppContext): void {
  r.get("/audit", "audit.view", async (c) => {
    const query = parseAuditQuery(c.req.query());
    const page = query.page ?? 1;
    const [result, users] = await Promise.all([
      listAuditEvents(ctx, toAuditFilter(query), page, PAGE_SIZE),
      listUsers(ctx),
    ]);
    const people = users
      .filter((u) => u.role !== "customer")
      .map((u) => ({ id: String(u.id), name: u.displayName, role: u.role }));
    return c.html(
      <AuditPage
        user={c.get("user")}
        csrfToken={c.get("csrfToken")}
        query={query}
        rows={result.rows}
        total={result.total}
        page={page}
        pageSize={PAGE_SIZE}
        people={people}
      />,
    );
  });

  r.get("/audit/verify", "audit.view", async (c) => {
    const result = await verifyAuditChain(ctx);
    const status = (
      <ChainStatus
        ok={result.ok}
        rows={result.rows}
        message={result.firstBreak?.message}
        lastSeq={result.lastSeq}
        lastHash={result.lastHash}
      />
    );
    if (c.req.header("hx-request")) return c.html(status);
    return c.html(
      <Layout title="Audit chain" user={c.get("user")} csrfToken={c.get("csrfToken")} path="/audit">
        <h1>Audit chain</h1>
        {status}
        <p>
          <a href="/audit">Back to the audit log</a>
        </p>
      </Layout>,
    );
  });

  r.get("/audit/export.csv", "audit.view", async (c) => {
    const query = parseAuditQuery(c.req.query());
    const filter = toAuditFilter(query);
    const { total } = await listAuditEvents(ctx, filter, 1, 1);
    const { page: _page, ...parameters } = query;
    // The export is itself audited; it holds the view as it stood just before this event.
    const exportSeq = await ctx.db.transaction((tx) =>
      audit(tx, actorFrom(c), "audit.export", { type: "audit_log" }, { filter: parameters, rows: total }),
    );
    const stamp = ctx.clock.now().toISOString().slice(0, 10);
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="audit-${stamp}.csv"`);
    c.header("Cache-Control", "no-store");
    const csv = csvStream(auditRows(ctx, filter, exportSeq), { header: AUDIT_CSV_HEADER });
    // Past the first byte an error can only cut the download short: say so in the log, with the
    // error alone (no filter, no row: the audit log names people).
    csv.on("error", (err) =>
      c.get("logger").error({ err, export: "audit_log" }, "export failed while streaming"),
    );
    return c.body(Readable.toWeb(csv) as ReadableStream);
  });
}

async function* auditRows(
  ctx: AppContext,
  filter: ReturnType<typeof toAuditFilter>,
  beforeSeq: number,
): AsyncGenerator<CsvValue[]> {
  for await (const row of iterateAuditEvents(ctx, filter)) {
    if (row.seq >= beforeSeq) return;
    yield [
      row.seq,
      row.at,
      row.actorType,
      row.actorId,
      row.actorRole,
      row.action,
      row.targetType,
      row.targetId,
      row.before === null ? null : JSON.stringify(row.before),
      row.after === null ? null : JSON.stringify(row.after),
      row.requestId,
      row.ipHash,
      row.prevHash,
      row.hash,
    ];
  }
}
