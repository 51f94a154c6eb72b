import { DOCUMENT, DestroyRef, type Signal, inject, signal } from '@angular/core';

export interface PollerOptions {
  /** Runs when polling should pick up again at once: the tab became visible (or, with `resumeOnFocus`, the window regained focus) while started. */
  resume: () => void;
  /** Also resume when the window regains focus (a visible tab can sit behind another window). */
  resumeOnFocus?: boolean;
}

/**
 * A visibility-aware poller: one pending poll at a time, none while the tab is hidden. Its owner decides what a
 * poll is and when the next one is due (`after`); the poller drops the pending poll when the tab is hidden,
 * calls `resume` when it is visible again, and stops for good when the owner's injector is destroyed.
 */
export interface Poller {
  /** Whether polling is started (hidden or not). */
  readonly started: Signal<boolean>;
  start(): void;
  /** Stops polling and drops the pending poll. */
  stop(): void;
  /** Whether a poll may go out now: started and the tab visible. */
  active(): boolean;
  /** Runs `poll` in `ms` if active now, replacing any pending poll. */
  after(ms: number, poll: () => void): void;
  /** Drops the pending poll (polling stays started). */
  cancel(): void;
}

/** Creates a poller that lives as long as the current injection context (a page or a panel). */
export function injectPoller(options: PollerOptions): Poller {
  const document = inject(DOCUMENT);
  const started = signal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const visible = () => document.visibilityState === 'visible';
  const cancel = () => clearTimeout(timer);
  const active = () => started() && visible();

  const onVisibility = () => {
    if (active()) options.resume();
    else cancel();
  };
  const onFocus = () => {
    if (active()) options.resume();
  };
  const window = options.resumeOnFocus ? document.defaultView : null;
  document.addEventListener('visibilitychange', onVisibility);
  window?.addEventListener('focus', onFocus);
  inject(DestroyRef).onDestroy(() => {
    started.set(false);
    cancel();
    document.removeEventListener('visibilitychange', onVisibility);
    window?.removeEventListener('focus', onFocus);
  });

  return {
    started: started.asReadonly(),
    start: () => started.set(true),
    stop: () => {
      started.set(false);
      cancel();
    },
    active,
    after: (ms, poll) => {
      cancel();
      if (active()) timer = setTimeout(poll, ms);
    },
    cancel,
  };
}
