import { createHmac } from "node:crypto";
import type { EventObject, PendingEvent, StandinState } from "./state";

export interface RetrySchedule {
  /** Wait after the first failed attempt; doubled after each further failure. */
  firstDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /** An event still undelivered this long after it was first due is given up (Stripe: 3 days). */
  giveUpAfterMs: number;
}

/** Fast, for a machine where the endpoint is the local API: 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 10 s for an hour. */
export const LOCAL_RETRIES: RetrySchedule = { firstDelayMs: 500, maxDelayMs: 10_000, giveUpAfterMs: 60 * 60_000 };

/** How long one attempt may take before it counts as failed (Stripe waits a few seconds too). */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * The `Stripe-Signature` header, made as Stripe makes it: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>" keyed with the endpoint's whole `whsec_…` secret>`. Each attempt is signed afresh, so a
 * retried or delayed event is within the receiver's tolerance (the SDK's default is 300 s) when it arrives.
 */
export function stripeSignature(body: string, secret: string, timestampSeconds: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`, "utf8").digest("hex");
  return `t=${timestampSeconds},v1=${v1}`;
}

export interface WebhookSenderOptions {
  state: StandinState;
  /** Read at each attempt; undefined while the receiver is not known yet (the attempt then counts as failed). */
  url: () => string | undefined;
  secret: string;
  retries: RetrySchedule;
  log: (line: string) => void;
}

/**
 * Delivers events at least once: an event is kept (on disk) from the moment it is made until the
 * endpoint answers 2xx to it; a non-2xx answer, a refused connection or a timeout is retried with
 * backoff, and what is still pending when the stand-in stops is sent after it starts again.
 */
export class WebhookSender {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  /** Extra wait before the first attempt, per event type: the test hook for late payments. */
  private readonly delays = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: WebhookSenderOptions) {}

  setDelay(type: string, delayMs: number): void {
    if (delayMs > 0) this.delays.set(type, delayMs);
    else this.delays.delete(type);
  }

  delaysByType(): Record<string, number> {
    return Object.fromEntries(this.delays);
  }

  /** Adds an event to the pending ones (the caller saves the state), due now or after its type's delay. */
  enqueue(event: EventObject): void {
    const due = Date.now() + (this.delays.get(event.type) ?? 0);
    this.options.state.data.pending[event.id] = { event, attempts: 0, nextAttemptAt: due, firstDueAt: due };
  }

  /** Schedules every pending event not yet scheduled (after a start, or once new events are saved). */
  schedulePending(): void {
    if (this.stopped) return;
    for (const pending of Object.values(this.options.state.data.pending))
      if (!this.timers.has(pending.event.id)) this.schedule(pending);
  }

  /** Stops sending; pending events stay in the state for the next start. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
  }

  private schedule(pending: PendingEvent): void {
    const id = pending.event.id;
    const timer = setTimeout(
      () => {
        this.attempt(pending)
          .catch((error: unknown) => this.options.log(`webhook ${id}: ${(error as Error).message}`))
          .finally(() => {
            this.timers.delete(id);
            if (this.options.state.data.pending[id]) this.schedulePending();
          });
      },
      Math.max(0, pending.nextAttemptAt - Date.now()),
    );
    timer.unref();
    this.timers.set(id, timer);
  }

  private async attempt(pending: PendingEvent): Promise<void> {
    const { state, retries, log } = this.options;
    const { event } = pending;
    const status = await this.post(event);
    if (this.stopped) return;
    pending.attempts += 1;
    if (status !== undefined && status >= 200 && status < 300) {
      delete state.data.pending[event.id];
    } else if (Date.now() - pending.firstDueAt >= retries.giveUpAfterMs) {
      delete state.data.pending[event.id];
      log(
        `webhook ${event.id} (${event.type}) given up after ${pending.attempts} attempts (last: ${status ?? "no answer"})`,
      );
    } else {
      const wait = Math.min(retries.firstDelayMs * 2 ** (pending.attempts - 1), retries.maxDelayMs);
      pending.nextAttemptAt = Date.now() + wait;
    }
    await state.save();
  }

  /** One attempt: the endpoint's status, or undefined when it could not be reached in time. */
  private async post(event: EventObject): Promise<number | undefined> {
    const url = this.options.url();
    if (!url) return undefined;
    const body = JSON.stringify(event, null, 2);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
    this.inFlight.add(controller);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "stripe-signature": stripeSignature(body, this.options.secret, Math.floor(Date.now() / 1000)),
        },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
  }
}
