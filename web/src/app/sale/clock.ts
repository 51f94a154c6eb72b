import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { ServerClock } from './server-clock';

/**
 * The server's current time as a signal, for countdowns, opening the Buy button and ending a sale: it ticks
 * once a second on the server's second, and also exactly at the instants set with `wakeAt` (openings, ends),
 * so a sale opens on time whatever the browser's own clock says.
 */
@Injectable({ providedIn: 'root' })
export class Clock {
  private readonly server = new ServerClock();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wakeups: readonly number[] = [];
  readonly now = signal(this.server.now());

  constructor() {
    this.tick();
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  /** A reply carrying the server's time (ISO-8601), sent and received at these `performance.now()` instants. */
  observe(serverTime: string, sentAt: number, receivedAt: number): void {
    if (this.server.observe(Date.parse(serverTime), sentAt, receivedAt)) this.tick();
  }

  /** Whether a reply has set the server's time yet (until then `now` is the browser's own clock). */
  get synchronized(): boolean {
    return this.server.synchronized;
  }

  /** Server instants (ms) at which the page changes state, e.g. sale openings and ends. */
  wakeAt(instants: readonly number[]): void {
    this.wakeups = instants.filter(Number.isFinite);
    this.tick();
  }

  private tick(): void {
    clearTimeout(this.timer);
    const now = this.server.now();
    this.now.set(now);
    // Just past the next whole second, so each countdown step shows for a full second, or just past the next wake-up.
    const untilWakeup = Math.min(
      ...this.wakeups.filter((instant) => instant > now).map((instant) => instant - now + 1),
    );
    this.timer = setTimeout(() => this.tick(), Math.min(1_000 - (now % 1_000) + 5, untilWakeup));
  }
}
