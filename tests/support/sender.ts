/**
 * A webhook sender that behaves like Stripe's: each event is re-signed and re-sent until it gets a
 * 2xx (a refused connection, a reset or a 5xx is retried after a short pause), with N deliveries
 * in flight. Used by the crash-safety and scale-out soak tests.
 */
import { HttpPool } from "../../bench/lib/http.ts";
import type { StripeEventObject } from "../../src/offline/objects/event-factory.ts";
import { signEvent } from "../../src/payments/stripe/sign.ts";

export interface SendReport {
  /** Deliveries attempted in total (first tries + retries). */
  attempts: number;
  /** Attempts that got no 2xx (network error or status) and were retried. */
  retries: number;
  statuses: Record<string, number>;
}

export async function sendUntilAccepted(
  events: Array<{ event: StripeEventObject; target: () => string }>,
  options: { secret: string; concurrency: number; onAccepted?: (accepted: number) => void },
): Promise<SendReport> {
  const http = new HttpPool(options.concurrency);
  const report: SendReport = { attempts: 0, retries: 0, statuses: {} };
  let accepted = 0;
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < events.length; i = next++) {
      const { event, target } = events[i]!;
      for (let attempt = 1; ; attempt++) {
        const { payload, header } = signEvent(event, options.secret);
        const res = await http.send(`${target()}/webhooks/stripe`, {
          method: "POST",
          headers: { "content-type": "application/json", "stripe-signature": header },
          body: payload,
        });
        report.attempts += 1;
        const key = String(res.status);
        report.statuses[key] = (report.statuses[key] ?? 0) + 1;
        if (res.status >= 200 && res.status < 300) break;
        if (res.status >= 400 && res.status < 500) {
          throw new Error(`event ${event.id} refused with ${res.status}: ${res.body}`);
        }
        report.retries += 1;
        if (attempt > 600) throw new Error(`event ${event.id} never accepted (last status ${res.status})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      accepted += 1;
      options.onAccepted?.(accepted);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, lane));
  } finally {
    http.close();
  }
  return report;
}
