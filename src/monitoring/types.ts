import type { ServiceContext } from "../context.ts";
import type { ISSUE_SEVERITIES, ISSUE_STATUSES } from "./schema.ts";

export type Severity = (typeof ISSUE_SEVERITIES)[number];
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/** What a check reads: the service context (checks read the primary, `db`) and one "now" for the whole run. */
export interface CheckContext extends ServiceContext {
  now: Date;
}

/** One instance of a bad condition. */
export interface Finding {
  /** Stable across runs while the condition persists (e.g. `order:42`); no PII. */
  fingerprint: string;
  title: string;
  /** Ids and amounts involved; never e-mails or names. */
  details: Record<string, unknown>;
  /** Overrides the check's severity for this finding. */
  severity?: Severity;
}

export interface Check {
  name: string;
  description: string;
  severity: Severity;
  /** How an operator fixes what it finds (runbook and `checks list`). */
  fix: string;
  run(ctx: CheckContext): Promise<Finding[]>;
}

export interface Issue {
  id: number;
  check: string;
  fingerprint: string;
  severity: Severity;
  title: string;
  details: Record<string, unknown>;
  status: IssueStatus;
  firstSeen: Date;
  lastSeen: Date;
  occurrences: number;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

export interface IssueFilter {
  status?: IssueStatus;
  check?: string;
  severity?: Severity;
}

export interface Page {
  page: number;
  pageSize: number;
}

export interface IssuePage {
  items: Issue[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CheckOutcome {
  check: string;
  /** false when the check threw (recorded as a critical `check-error` issue). */
  ok: boolean;
  error?: string;
  findings: number;
  opened: number;
  updated: number;
  autoResolved: number;
}

export interface RunSummary {
  ranAt: Date;
  outcomes: CheckOutcome[];
  /** Open issues of the checks that ran, after the run. */
  open: Array<{ check: string; severity: Severity; count: number; example: string }>;
  openTotal: number;
}
