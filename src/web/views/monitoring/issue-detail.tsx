import type { SessionUser } from "../../../auth/index.ts";
import type { Check, Issue } from "../../../monitoring/index.ts";
import type { EventDetail } from "../../../payments/events/list.ts";
import { Notices } from "../components/alert.tsx";
import { dateTime, NONE } from "../components/format.ts";
import { Layout } from "../layout.tsx";
import { Markdown } from "../markdown.tsx";
import { EventErrorText, eventHref } from "../webhooks/event-list.tsx";

export interface IssueDetailProps {
  user: SessionUser | null;
  csrfToken: string;
  issue: Issue;
  check: Check | undefined;
  canAct: boolean;
  /** Admins, on a snapshot issue: the rebuild page with the issue's days filled in. */
  rebuildHref?: string;
  /** The Stripe event the issue is about (webhook-health), with its stored error. */
  event?: EventDetail;
  notice?: string;
  error?: string;
}

export function IssueDetailPage(props: IssueDetailProps) {
  const { issue } = props;
  return (
    <Layout
      title={`Issue ${issue.id}`}
      user={props.user}
      csrfToken={props.csrfToken}
      path="/monitoring/issues"
    >
      <div class="page-head">
        <p>
          <a href="/monitoring/issues">← All issues</a>
        </p>
        <h1>{issue.title}</h1>
        <p>
          <span class={`badge ${issue.severity}`}>{issue.severity}</span>{" "}
          <span class={`badge ${issue.status}`}>{issue.status}</span> <span class="muted">{issue.check}</span>
        </p>
      </div>
      <Notices notice={props.notice} error={props.error} />
      <div class="grid two">
        <section class="panel">
          <h2>Occurrence</h2>
          <dl class="dq-facts">
            <dt>Fingerprint</dt>
            <dd>
              <code>{issue.fingerprint}</code>
            </dd>
            <dt>First seen</dt>
            <dd>{dateTime(issue.firstSeen)}</dd>
            <dt>Last seen</dt>
            <dd>{dateTime(issue.lastSeen)}</dd>
            <dt>Times seen</dt>
            <dd>{issue.occurrences}</dd>
            <dt>Closed</dt>
            <dd>{issue.resolvedAt ? `${dateTime(issue.resolvedAt)} by ${issue.resolvedBy}` : NONE}</dd>
            <dt>Note</dt>
            <dd>{issue.resolutionNote ?? NONE}</dd>
          </dl>
          <h2>Details</h2>
          <dl class="dq-facts">
            {Object.entries(issue.details).map(([key, value]) => (
              <>
                <dt>{key}</dt>
                <dd>
                  <code>
                    {value === null
                      ? "null"
                      : typeof value === "object"
                        ? JSON.stringify(value)
                        : String(value)}
                  </code>
                </dd>
              </>
            ))}
          </dl>
        </section>
        <section class="panel">
          <h2>What it means and how to fix it</h2>
          {props.check ? (
            <>
              <Markdown source={props.check.description} />
              <h3>How to fix it</h3>
              <Markdown source={props.check.fix} />
              {props.rebuildHref ? (
                <p>
                  <a class="button" href={props.rebuildHref}>
                    Rebuild these days
                  </a>
                </p>
              ) : null}
            </>
          ) : (
            <p>This check is no longer in the registry.</p>
          )}
          {props.event ? <EventError event={props.event} /> : null}
          {props.canAct && issue.status === "open" ? (
            <TriageForms id={issue.id} csrfToken={props.csrfToken} />
          ) : null}
        </section>
      </div>
    </Layout>
  );
}

function TriageForms(props: { id: number; csrfToken: string }) {
  return (
    <form class="form dq-triage" method="post" action={`/monitoring/issues/${props.id}/resolve`}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <label for="dq-note">Note (required: what was done or why it is accepted)</label>
      <textarea id="dq-note" name="note" rows={3} maxlength={2000} required></textarea>
      <div class="dq-actions">
        <button type="submit" class="button primary">
          Resolve
        </button>
        <button type="submit" class="button" formaction={`/monitoring/issues/${props.id}/ignore`}>
          Ignore
        </button>
      </div>
    </form>
  );
}

/** The error the fix text refers to ("read the event's error"): in plain words, the raw text folded. */
function EventError(props: { event: EventDetail }) {
  const { event } = props;
  return (
    <div class="issue-error" data-issue-error>
      <h3>The error</h3>
      <p>
        Event <a href={eventHref(event.id)}>{event.type}</a> is{" "}
        <span class={`badge ${event.status}`}>{event.status}</span> after {event.attempts} attempt(s).
      </p>
      {event.error ? (
        <EventErrorText error={event.error} raw={event.lastError} />
      ) : (
        <p class="muted">No error is stored on the event now.</p>
      )}
      <p>
        <a class="button small" href={eventHref(event.id)}>
          Open the event (payload, records, replay)
        </a>
      </p>
    </div>
  );
}
