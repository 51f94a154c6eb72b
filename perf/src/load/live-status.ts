import type { LoopState } from "./open-loop";
import type { Recorder } from "./recorder";

/**
 * What the CLI kit's status line shows during a run: elapsed, send rate since the last call, in flight,
 * outcomes so far, p99 so far.
 */
export function liveStatus(recorder: Recorder): (state: LoopState) => string {
  let lastDispatched = 0;
  let lastElapsed = 0;
  return (state) => {
    const seconds = (state.elapsedMs - lastElapsed) / 1000;
    const rate = seconds > 0 ? (state.dispatched - lastDispatched) / seconds : 0;
    lastDispatched = state.dispatched;
    lastElapsed = state.elapsedMs;
    const byStatus = new Map<string, number>();
    for (const [label, n] of recorder.outcomes) {
      const [, status = "?", code] = label.split(" ");
      const key = code ?? status;
      byStatus.set(key, (byStatus.get(key) ?? 0) + n);
    }
    const outcomes = [...byStatus]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([key, n]) => `${key}:${n}`)
      .join(" ");
    const all = recorder.histograms.get("all");
    const p99 = all && all.totalCount > 0 ? `${(all.getValueAtPercentile(99) / 1000).toFixed(1)} ms` : "-";
    return `${(state.elapsedMs / 1000).toFixed(1)}s  ${rate.toFixed(0)} req/s  in flight ${state.inFlight}  ${outcomes}  p99 ${p99}`;
  };
}
