import { Injectable, inject, signal } from '@angular/core';
import { ApiError } from '../core/api-error';
import { injectPoller } from '../core/poller';
import { ShopApi } from '../core/shop-api';
import type { Order } from '../core/shop-types';
import { Clock } from '../sale/clock';
import { holdMsLeft } from './order-status';

/** How often the order page re-reads an order waiting for payment: back from the payment page, the webhook lands within seconds. */
export const ORDER_POLL_MS = 3_000;
/** Without a set interval, a held order is read again this long after its hold's end (the shop returns it within 5 s locally)… */
export const AFTER_HOLD_MS = 2_000;
/** …and then this often until it has ended (in AWS the sweep may take up to a minute); also the pace after a failed read. */
export const ENDING_POLL_MS = 5_000;

export interface FollowOptions {
  /** A copy of the order already in hand (just bought, or from the order list): no read to begin with. */
  known?: Order;
  /**
   * Re-read this often while it waits for payment. Without it, the order is read again only when its hold has run
   * out, and when the tab comes back into view or the window regains focus (paid in another tab).
   */
  everyMs?: number;
}

/**
 * One order as it stands now: read through the one poller while it waits for payment (none while the tab is hidden,
 * at once when it is visible again), and not at all once it has ended (paid, expired, cancelled, refunded). Also
 * cancels it. On the first held order it sets the server clock when nothing has yet, so the hold's countdown runs
 * on the shop's time. Provided per page or card.
 */
@Injectable()
export class OrderFollower {
  private readonly api = inject(ShopApi);
  private readonly clock = inject(Clock);
  private readonly poller = injectPoller({ resume: () => void this.read(), resumeOnFocus: true });
  private orderId: string | undefined;
  private everyMs: number | undefined;
  private generation = 0;
  private clockAsked = false;

  /** The order as last read (or as given). */
  readonly order = signal<Order | undefined>(undefined);
  /** The shop has no such order for this shopper (404). */
  readonly missing = signal(false);
  /** Set while reads fail; the last known order stays. */
  readonly problem = signal<string | undefined>(undefined);
  readonly cancelling = signal(false);
  /** Why the last cancel did not go through. */
  readonly cancelProblem = signal<string | undefined>(undefined);

  /** Follows `orderId` from now on (a no-op if it already does). */
  follow(orderId: string, options: FollowOptions = {}): void {
    if (orderId === this.orderId) return;
    this.generation++;
    this.orderId = orderId;
    this.everyMs = options.everyMs;
    this.order.set(options.known);
    this.missing.set(false);
    this.problem.set(undefined);
    this.cancelProblem.set(undefined);
    this.poller.start();
    if (options.known) this.update(options.known);
    else void this.read();
  }

  /** Stops following (the last known order stays readable). */
  stop(): void {
    this.generation++;
    this.orderId = undefined;
    this.poller.stop();
  }

  /** Reads the order now, and schedules the next read if it still waits for payment. */
  async read(): Promise<void> {
    this.poller.cancel();
    const orderId = this.orderId;
    if (!orderId) return;
    const mine = ++this.generation;
    try {
      const order = await this.api.getOrder(orderId);
      if (mine !== this.generation) return; // cancelled, or another read or order started meanwhile
      this.problem.set(undefined);
      this.update(order);
    } catch (error) {
      if (mine !== this.generation) return;
      const failure = error instanceof ApiError ? error : undefined;
      if (failure?.code === 'ORDER_NOT_FOUND') {
        this.missing.set(true);
        this.poller.stop();
        return;
      }
      this.problem.set(failure?.message ?? 'Could not read the order.');
      this.poller.after(this.everyMs ?? ENDING_POLL_MS, () => void this.read());
    }
  }

  /**
   * Gives the held order up. When the shop refuses (paid or ended meanwhile) or cannot be reached, reads the order
   * again, so when this resolves `order` says where it stands.
   */
  async cancel(): Promise<void> {
    const orderId = this.orderId;
    if (!orderId || this.cancelling()) return;
    this.cancelling.set(true);
    this.cancelProblem.set(undefined);
    const mine = ++this.generation; // a read in flight could only bring an older state
    this.poller.cancel();
    try {
      const order = await this.api.cancelOrder(orderId);
      if (mine === this.generation) this.update(order);
    } catch (error) {
      this.cancelProblem.set(error instanceof ApiError ? error.message : 'Could not cancel. Please try again.');
      if (mine === this.generation) await this.read();
    } finally {
      this.cancelling.set(false);
    }
  }

  private update(order: Order): void {
    this.order.set(order);
    if (order.status !== 'PENDING_PAYMENT') {
      this.poller.stop();
      return;
    }
    void this.syncClock();
    const msLeft = holdMsLeft(order, this.clock.now());
    const wait = this.everyMs ?? (msLeft > 0 ? msLeft + AFTER_HOLD_MS : ENDING_POLL_MS);
    this.poller.after(wait, () => void this.read());
  }

  /** The hold's end is the shop's instant: make sure the clock knows the shop's time (the sale page already does). */
  private async syncClock(): Promise<void> {
    if (this.clockAsked || this.clock.synchronized) return;
    this.clockAsked = true;
    try {
      const sent = performance.now();
      const feed = await this.api.availability();
      this.clock.observe(feed.serverTime, sent, performance.now());
    } catch {
      // The browser's own clock then stands in; the shop's status still decides.
    }
  }
}
