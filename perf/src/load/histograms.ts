import * as hdr from "hdr-histogram-js";

/** Latencies are recorded in microseconds, from 1 µs to 10 minutes, at 3 significant digits. */
export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

/** HdrHistogram's portable compressed form: what agents upload and `collect` merges. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Decoded histograms are sized to their contents; let them grow when more is added.
  decoded.autoResize = true;
  return decoded;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Percentiles in milliseconds (recorded in microseconds). */
export function summarize(histogram: Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us / 10) / 100;
  if (histogram.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

/** Counts in log-spaced latency buckets (ms upper bounds), for the report's histogram chart. */
export function latencyBuckets(
  histogram: Histogram,
  bounds: number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, Infinity],
): Array<{ upToMs: number; count: number }> {
  const counts = bounds.map((upToMs) => ({ upToMs, count: 0 }));
  let previous = 0;
  for (const [index, bound] of bounds.entries()) {
    const cumulative = bound === Infinity ? histogram.totalCount : countAtOrBelow(histogram, bound * 1000);
    counts[index]!.count = cumulative - previous;
    previous = cumulative;
  }
  return counts;
}

function countAtOrBelow(histogram: Histogram, valueUs: number): number {
  if (histogram.totalCount === 0 || valueUs >= histogram.maxValue) return histogram.totalCount;
  // Binary search over percentiles: hdr-histogram-js has no direct "count below" API.
  let low = 0;
  let high = 100;
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (histogram.getValueAtPercentile(mid) <= valueUs) low = mid;
    else high = mid;
  }
  return Math.round((low / 100) * histogram.totalCount);
}
