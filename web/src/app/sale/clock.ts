import { DestroyRef, Injectable, inject, signal } from '@angular/core';

/** The current time as a signal that ticks once a second, on the second, for countdowns. */
@Injectable({ providedIn: 'root' })
export class Clock {
  readonly now = signal(Date.now());
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.tick();
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  private tick(): void {
    const now = Date.now();
    this.now.set(now);
    // Aim just past the next whole second so each countdown step shows for a full second.
    this.timer = setTimeout(() => this.tick(), 1_000 - (now % 1_000) + 5);
  }
}
