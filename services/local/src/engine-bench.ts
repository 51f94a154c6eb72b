import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@flash-sale/services/store";
import { runPurchaseShapedLoad } from "./engine-load";

/** Latency percentiles in milliseconds. */
export interface EngineLatency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface EngineBench {
  concurrency: number;
  seconds: number;
  transactions: number;
  failed: number;
  perSecond: number;
  latency: EngineLatency;
}

/**
 * The engine's own ceiling, the one raw-purchase measurement of `npm run bench` and `npm run perf`:
 * purchase-shaped TransactWriteItems (shard decrement with its condition, order put, limit counter, built
 * by the store's own purchaseTransaction) sent straight to DynamoDB with `concurrency` in flight, no
 * gateway, no handler, on a scratch table so no sale's audit sees them. Runs for `seconds`, or until
 * `transactions` were sent if that comes first.
 */
export async function benchEngine(
  engine: string | DynamoDBDocumentClient,
  options: { seconds?: number; transactions?: number; concurrency?: number; shards?: number; region?: string } = {},
): Promise<EngineBench> {
  const seconds = options.seconds ?? 5;
  const concurrency = options.concurrency ?? 32;
  const doc =
    typeof engine === "string"
      ? createDocumentClient({ region: options.region ?? "us-east-1", endpoint: engine })
      : engine;
  try {
    const result = await runPurchaseShapedLoad(doc, {
      maxMs: seconds * 1000,
      concurrency,
      ...(options.transactions ? { maxTransactions: options.transactions } : {}),
      ...(options.shards ? { shards: options.shards } : {}),
    });
    const elapsed = result.elapsedMs / 1000;
    return {
      concurrency,
      seconds: Math.round(elapsed * 100) / 100,
      transactions: result.transactions,
      failed: result.failed,
      perSecond: Math.round((result.transactions / elapsed) * 10) / 10,
      latency: latencySummary(result.latenciesUs),
    };
  } finally {
    if (typeof engine === "string") doc.destroy();
  }
}

/** Nearest-rank percentiles of latencies recorded in microseconds, in milliseconds. */
function latencySummary(latenciesUs: number[]): EngineLatency {
  if (latenciesUs.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(latenciesUs).sort();
  const ms = (us: number) => Math.round(us / 10) / 100;
  const at = (percentile: number) => ms(sorted[Math.max(0, Math.ceil((percentile / 100) * sorted.length) - 1)]!);
  return {
    count: sorted.length,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: ms(sorted[sorted.length - 1]!),
    mean: ms(sorted.reduce((sum, us) => sum + us, 0) / sorted.length),
  };
}
