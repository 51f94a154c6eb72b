import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { nextAskInMs } from '@flash-sale/services/contract';
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

/** While waiting, the place and the wait on the page are counted down this often, without asking. */
const COUNTDOWN_MS = 1_000;

/**
 * One shopper's place in one product's line. It asks the API only as services' line-asks.ts says (the
 * policy the cost model `npm run perf -- waiting-room-cost` counts): once to join, once more before the
 * opening at this page's own moment in the refresh window, then at its turn (again at the exact turn
 * if the line grew meanwhile), with the ticket. Between asks it counts the place and the wait down
 * itself; the pass's expiry is timed on the server's clock without asking; sold out comes from the
 * catalog feed (`soldOut`). Nothing is asked while the tab is hidden; back in view, it asks only if an
 * ask fell due meanwhile. Provided per waiting-room panel.
 */
@Injectable()
export class LinePoller {
  private readonly api = inject(ShopApi);
  private readonly poller = injectPoller({ resume: () => this.resume() });
  /** This page's own number in [0, 1): its moment in the refresh window before the opening. */
  private readonly spread = Math.random();
  private sku: string | undefined;
  private ticket: string | undefined;
  private failures = 0;
  private generation = 0;
  /** When the next ask is due (this browser's clock), while one is scheduled. */
  private dueAt: number | undefined;
  private asking = false;
  /** The last answer while waiting, on this browser's clock: the page counts down from it. */
  private line: { turnAt: number; opensAt: number; perMs: number } | undefined;
  private countdown: ReturnType<typeof setInterval> | undefined;
  private expiry: ReturnType<typeof setTimeout> | undefined;

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
    this.dueAt = undefined;
    this.stopCountdown();
    clearTimeout(this.expiry);
  }

  /** Back in view: ask now only if an ask fell due while hidden (and none is on its way). */
  private resume(): void {
    if (this.status().kind === 'admitted' || this.asking) return;
    const due = this.dueAt;
    if (due !== undefined && due > Date.now()) this.schedule(due - Date.now());
    else void this.poll();
  }

  private async poll(): Promise<void> {
    this.poller.cancel();
    this.dueAt = undefined;
    if (!this.poller.active() || !this.sku) return;
    const mine = ++this.generation;
    this.asking = true;
    try {
      const view = await this.api.checkAdmission(this.sku, this.ticket).finally(() => {
        this.asking = false;
      });
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
    // The server's clock, as seen from this browser: its instants are turned into ours with this offset.
    const offset = Date.now() - Date.parse(view.serverTime);
    if (view.state === 'waiting') {
      this.follow(view, offset);
      this.schedule(nextAskInMs(view, this.spread) ?? pollDelayMs(view.retryAfterSeconds));
    } else if (view.state === 'admitted' && view.pass && view.passExpiresAt) {
      this.stopCountdown();
      this.status.set({ kind: 'admitted', pass: view.pass, passExpiresAt: view.passExpiresAt });
      // The turn ends when the pass expires, timed on the server's clock: nothing more to ask.
      this.poller.cancel();
      clearTimeout(this.expiry);
      this.expiry = setTimeout(
        () => this.finish({ kind: 'expired' }),
        Math.max(0, Date.parse(view.passExpiresAt) + offset - Date.now()),
      );
    } else if (view.state === 'expired' || view.state === 'sold-out' || view.state === 'closed') {
      this.finish({ kind: view.state });
    }
  }

  /** Shows the answer's place, then counts it down each second until the next ask (as the server would count it). */
  private follow(view: AdmissionView, offset: number): void {
    const position = view.position ?? 0;
    const waitSeconds = view.estimatedWaitSeconds ?? 0;
    this.status.set({ kind: 'waiting', position, waitSeconds });
    this.stopCountdown();
    if (!view.turnAt) return;
    const turnAt = Date.parse(view.turnAt) + offset;
    const opensAt = Date.parse(view.opensAt) + offset;
    const admitting = turnAt - Math.max(Date.now(), opensAt);
    this.line = { turnAt, opensAt, perMs: admitting > 0 ? position / admitting : 0 };
    this.countdown = setInterval(() => this.tick(), COUNTDOWN_MS);
  }

  private tick(): void {
    const line = this.line;
    if (!line || this.status().kind !== 'waiting') return;
    const now = Date.now();
    this.status.set({
      kind: 'waiting',
      position: Math.max(0, Math.floor((line.turnAt - Math.max(now, line.opensAt)) * line.perMs + 1e-9)),
      waitSeconds: Math.max(0, Math.ceil((line.turnAt - now) / 1_000)),
    });
  }

  private stopCountdown(): void {
    clearInterval(this.countdown);
    this.countdown = undefined;
    this.line = undefined;
  }

  private finish(status: LineStatus): void {
    this.status.set(status);
    this.problem.set(undefined);
    this.stop();
  }

  private schedule(ms: number): void {
    this.dueAt = Date.now() + ms;
    this.poller.after(ms, () => void this.poll());
  }
}
