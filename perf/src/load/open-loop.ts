import { performance } from "node:perf_hooks";
import type { Recorder } from "./recorder";
import type { Schedule } from "./schedule";

/** What one scheduled request does; resolves to its outcome label (see recorder.ts), never rejects. */
export type Execute = (index: number, phase: number) => { kind: string; done: Promise<string> };

export interface OpenLoopOptions {
  schedule: Schedule;
  recorder: Recorder;
  execute: Execute;
  /** Requests allowed in flight at once; a request due while at the cap is dropped and counted. */
  maxInFlight: number;
  /** Called about once a second while running. */
  onTick?: (state: LoopState) => void;
}

export interface LoopState {
  elapsedMs: number;
  dispatched: number;
  inFlight: number;
  dropped: number;
  /** Wall time from the first intended start to the last actual dispatch. */
  dispatchWindowMs: number;
}

/**
 * Fires every request at its scheduled time whether or not earlier ones have answered (open loop).
 * A timer wakes at the next due time and sends everything due; lateness is recorded per request, and
 * latency runs from the intended start, so a stalled generator or system shows up in the numbers.
 */
export function runOpenLoop(options: OpenLoopOptions): Promise<LoopState> {
  const { schedule, recorder, execute, maxInFlight } = options;
  recorder.counts.scheduled += schedule.at.length;
  recorder.durationMs = Math.max(recorder.durationMs, schedule.durationMs);
  const origin = performance.now();
  let next = 0;
  let inFlight = 0;
  let lastDispatch = 0;
  const state = (): LoopState => ({
    elapsedMs: performance.now() - origin,
    dispatched: recorder.counts.dispatched,
    inFlight,
    dropped: recorder.counts.dropped,
    dispatchWindowMs: lastDispatch,
  });

  return new Promise((resolve) => {
    const ticker = options.onTick ? setInterval(() => options.onTick?.(state()), 1_000) : undefined;
    const finishIfDone = () => {
      if (next >= schedule.at.length && inFlight === 0) {
        if (ticker) clearInterval(ticker);
        options.onTick?.(state());
        resolve(state());
      }
    };
    const pump = () => {
      const now = performance.now() - origin;
      while (next < schedule.at.length && schedule.at[next]! <= now) {
        const index = next++;
        const intended = schedule.at[index]!;
        const phase = schedule.phase[index]!;
        if (inFlight >= maxInFlight) {
          recorder.onDrop(phase, "request", intended);
          continue;
        }
        inFlight++;
        const sentAt = performance.now() - origin;
        lastDispatch = sentAt;
        recorder.onDispatch(intended, sentAt - intended);
        const { done } = execute(index, phase);
        done.then(
          (label) => complete(phase, label, intended),
          (error: unknown) => complete(phase, `request ERR ${(error as Error)?.name ?? "Error"}`, intended),
        );
      }
      if (next < schedule.at.length) {
        // Node timers have ~1 ms granularity: requests due within the same millisecond go out together.
        setTimeout(pump, Math.max(0, schedule.at[next]! - (performance.now() - origin) - 0.5));
      } else {
        finishIfDone();
      }
    };
    const complete = (phase: number, label: string, intended: number) => {
      inFlight--;
      recorder.onComplete(phase, label, intended, performance.now() - origin);
      finishIfDone();
    };
    pump();
  });
}
