import type { Recorder } from "./recorder";
import type { LoopState } from "./open-loop";

/**
 * The live line on stderr: elapsed, send rate, in flight, outcomes so far, p99 so far. Only on a TTY
 * (a log file would fill with carriage returns) and not with --quiet.
 */
export function progressPrinter(recorder: Recorder, options: { quiet: boolean; stream?: NodeJS.WriteStream }) {
  const stream = options.stream ?? process.stderr;
  const enabled = !options.quiet && stream.isTTY === true;
  let lastDispatched = 0;
  let lastElapsed = 0;
  return {
    enabled,
    tick(state: LoopState) {
      if (!enabled) return;
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
      const line = `${(state.elapsedMs / 1000).toFixed(1)}s  ${rate.toFixed(0)} req/s  in flight ${state.inFlight}  ${outcomes}  p99 ${p99}`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
    },
    done() {
      if (enabled) stream.write("\r\x1b[2K");
    },
  };
}
