/**
 * Data-quality monitoring: the checks registry, the runner and the issue lifecycle
 * (open → resolved by system or an operator, or ignored). Other domains and adapters import this file.
 */
export { fulfillmentDueAt } from "./checks/fulfillment-backlog.ts";
export { CHECKS } from "./checks/index.ts";
export { clearEventIssue, type FailedEvent, raiseFailedEventIssue } from "./immediate.ts";
export { countOpenIssuesBySeverity, getIssue, listIssues } from "./issues.ts";
export { fingerprintsAbout, issuesWithFingerprints } from "./issues-about.ts";
export { dataQualityChecksJob } from "./job.ts";
export { CHECK_ERROR_FINGERPRINT, type RunOptions, runChecks } from "./runner.ts";
export { ISSUE_SEVERITIES, ISSUE_STATUSES } from "./schema.ts";
export { ignoreIssue, resolveIssue, type TriageInput } from "./triage.ts";
export type {
  Check,
  CheckContext,
  CheckOutcome,
  Finding,
  Issue,
  IssueFilter,
  IssuePage,
  IssueStatus,
  Page,
  RunSummary,
  Severity,
} from "./types.ts";
