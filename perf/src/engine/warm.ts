import { benchEngine } from "./bench";

export interface Warmup {
  seconds: number;
  /** Purchase-shaped transactions/s of each slice, in order: the JVM's warm-up curve. */
  rates: number[];
  settled: boolean;
}

/**
 * A fresh DynamoDB Local JVM is several times slower for its first seconds: send purchase-shaped
 * transactions (on the bench's own table) in short slices until two slices in a row agree within
 * `tolerance`, or `maxSeconds` pass.
 */
export async function warmEngine(
  endpoint: string,
  options: { maxSeconds: number; sliceSeconds?: number; tolerance?: number; concurrency?: number },
  onSlice: (rate: number) => void = () => {},
): Promise<Warmup> {
  const slice = options.sliceSeconds ?? 2;
  const tolerance = options.tolerance ?? 0.1;
  const rates: number[] = [];
  let seconds = 0;
  while (seconds + slice <= options.maxSeconds) {
    const bench = await benchEngine(endpoint, { seconds: slice, concurrency: options.concurrency ?? 32 });
    seconds += bench.seconds;
    rates.push(bench.perSecond);
    onSlice(bench.perSecond);
    const [before, last] = rates.slice(-2);
    if (rates.length >= 3 && before !== undefined && last !== undefined && Math.abs(last - before) <= tolerance * Math.max(before, 1)) {
      return { seconds: Math.round(seconds * 10) / 10, rates, settled: true };
    }
  }
  return { seconds: Math.round(seconds * 10) / 10, rates, settled: false };
}
