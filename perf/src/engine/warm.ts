import { benchEngine, type EngineBench } from "@flash-sale/local/engine-bench";
import { warmEngine as warmDocumentClient, type Warmup } from "@flash-sale/local/engine-load";
import { createDocumentClient } from "@flash-sale/services/store";

export type { Warmup };

/** Two measures in a row this close: the engine's rate has stopped rising. */
export const STEADY_TOLERANCE = 0.05;

/** Warms the DynamoDB Local at `endpoint` in 2 s slices until two agree within 5%. */
export async function warmEngine(
  endpoint: string,
  options: { maxSeconds: number; concurrency?: number },
): Promise<Warmup> {
  const doc = createDocumentClient({ region: "us-east-1", endpoint });
  try {
    return await warmDocumentClient(doc, {
      maxMs: options.maxSeconds * 1_000,
      sliceMs: 2_000,
      tolerance: STEADY_TOLERANCE,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
  } finally {
    doc.destroy();
  }
}

export interface SteadyBench {
  /** The last measure: the one taken once the rate stopped rising (or the last allowed). */
  bench: EngineBench;
  /** Every measure's transactions/s, in order. */
  rates: number[];
  steady: boolean;
}

/** Whether the last two rates agree within `tolerance` of the lower. */
export function steadyRates(rates: readonly number[], tolerance = STEADY_TOLERANCE): boolean {
  const [before, last] = rates.slice(-2);
  if (before === undefined || last === undefined || last <= 0) return false;
  return Math.abs(last - before) <= tolerance * Math.min(before, last);
}

/**
 * The engine alone, measured again and again (each `seconds` long) until two measures in a row agree within
 * 5%: a JVM still warming measures low, and a ratio divided by it flatters the platform. At most `maxRounds`.
 */
export async function benchUntilSteady(
  measure: () => Promise<EngineBench>,
  options: { maxRounds: number; onMeasure?: (bench: EngineBench) => void },
): Promise<SteadyBench> {
  const rates: number[] = [];
  let bench: EngineBench | undefined;
  while (rates.length < Math.max(2, options.maxRounds)) {
    bench = await measure();
    rates.push(bench.perSecond);
    options.onMeasure?.(bench);
    if (steadyRates(rates)) return { bench, rates, steady: true };
  }
  return { bench: bench!, rates, steady: false };
}

/** `benchUntilSteady` against the DynamoDB Local at `endpoint`. */
export function benchEngineUntilSteady(
  endpoint: string,
  options: { seconds: number; concurrency: number; maxRounds: number; onMeasure?: (bench: EngineBench) => void },
): Promise<SteadyBench> {
  return benchUntilSteady(() => benchEngine(endpoint, { seconds: options.seconds, concurrency: options.concurrency }), {
    maxRounds: options.maxRounds,
    ...(options.onMeasure ? { onMeasure: options.onMeasure } : {}),
  });
}
