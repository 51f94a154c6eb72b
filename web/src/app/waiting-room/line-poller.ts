import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { ApiError } from '../core/api-error';
import { injectPoller } from '../core/poller';
import { ShopApi } from '../core/shop-api';
import type { AdmissionView } from '../core/shop-types';
import { pollDelayMs } from './line-format';

export type LineStatus =
  | { kind: 'idle' }
  | { kind: 'joining' }
  | { kind: 'waiting'; position: number; waitSeconds: number }
  | { kind: 'admitted'; pass: string; passExpiresAt: string }
  | { kind: 'expired' }
  | { kind: 'sold-out' }
  | { kind: 'closed' }
  | { kind: 'unavailable'; message: string };

/** Failed polls back off from 2 s, doubling, to this. */
const MAX_BACKOFF_MS = 30_000;

/**
 * One shopper's place in one product's line: joins once, then polls with the ticket only when the
 * server says to (retryAfterSeconds), not at all while the tab is hidden, and stops for good once the
 * turn has come and gone, the product sold out or the sale closed. Provided per waiting-room panel.
 */
@Injectable()
export class LinePoller {
  private readonly api = inject(ShopApi);
  private readonly poller = injectPoller({ resume: () => void this.poll() });
  private sku: string | undefined;
  private ticket: string | undefined;
  private failures = 0;
  private generation = 0;

  readonly status = signal<LineStatus>({ kind: 'idle' });
  /** Set while polls fail; the last known place stays on screen. */
  readonly problem = signal<string | undefined>(undefined);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Joins `sku`'s line (once) and follows it. */
  start(sku: string): void {
    if (this.poller.started() && this.sku === sku) return;
    this.sku = sku;
    this.poller.start();
    if (this.status().kind === 'idle') this.status.set({ kind: 'joining' });
    void this.poll();
  }

  /** The catalog feed says every unit is sold: whoever was in line is told at once, and polling stops. */
  soldOut(): void {
    if (this.status().kind !== 'idle') this.finish({ kind: 'sold-out' });
  }

  stop(): void {
    this.generation++;
    this.poller.stop();
  }

  private async poll(): Promise<void> {
    this.poller.cancel();
    if (!this.poller.active() || !this.sku) return;
    const mine = ++this.generation;
    try {
      const view = await this.api.checkAdmission(this.sku, this.ticket);
      if (mine !== this.generation) return;
      this.failures = 0;
      this.problem.set(undefined);
      this.apply(view);
    } catch (error) {
      if (mine !== this.generation) return;
      const failure = error instanceof ApiError ? error : undefined;
      if (failure?.status === 404) {
        this.finish({ kind: 'unavailable', message: failure.message });
        return;
      }
      this.failures++;
      this.problem.set(failure?.message ?? 'Could not reach the shop.');
      const retryAfter = Number(failure?.details['retryAfterSeconds']);
      this.schedule(
        Number.isFinite(retryAfter) && retryAfter > 0
          ? pollDelayMs(retryAfter)
          : Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** this.failures),
      );
    }
  }

  private apply(view: AdmissionView): void {
    this.ticket = view.ticket ?? this.ticket;
    if (view.state === 'waiting') {
      this.status.set({ kind: 'waiting', position: view.position ?? 0, waitSeconds: view.estimatedWaitSeconds ?? 0 });
      this.schedule(pollDelayMs(view.retryAfterSeconds));
    } else if (view.state === 'admitted' && view.pass && view.passExpiresAt) {
      this.status.set({ kind: 'admitted', pass: view.pass, passExpiresAt: view.passExpiresAt });
      // Ask again just after the pass expires, timed on the server's clock (both instants come from it).
      this.schedule(Math.max(1_000, Date.parse(view.passExpiresAt) - Date.parse(view.serverTime) + 500));
    } else if (view.state === 'expired' || view.state === 'sold-out' || view.state === 'closed') {
      this.finish({ kind: view.state });
    }
  }

  private finish(status: LineStatus): void {
    this.status.set(status);
    this.problem.set(undefined);
    this.stop();
  }

  private schedule(ms: number): void {
    this.poller.after(ms, () => void this.poll());
  }
}
