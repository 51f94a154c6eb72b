import { runPurchaseShapedLoad } from "@flash-sale/local/engine-load";
import { createDocumentClient } from "@flash-sale/services/store";
import { newHistogram, summarize, type LatencySummary } from "../load/histograms";

export interface EngineBench {
  concurrency: number;
  seconds: number;
  transactions: number;
  failed: number;
  perSecond: number;
  latency: LatencySummary;
}

/**
 * The engine's own ceiling: purchase-shaped TransactWriteItems (shard decrement with its condition,
 * order put, limit counter) sent straight to DynamoDB Local with `concurrency` in flight, no gateway,
 * no handler, on a scratch table so the sale's audit is untouched.
 */
export async function benchEngine(
  endpoint: string,
  options: { seconds?: number; concurrency?: number; shards?: number; region?: string } = {},
): Promise<EngineBench> {
  const seconds = options.seconds ?? 5;
  const concurrency = options.concurrency ?? 32;
  const doc = createDocumentClient({ region: options.region ?? "us-east-1", endpoint });
  const result = await runPurchaseShapedLoad(doc, {
    maxMs: seconds * 1000,
    concurrency,
    ...(options.shards ? { shards: options.shards } : {}),
  });
  doc.destroy();
  const latency = newHistogram();
  for (const us of result.latenciesUs) latency.recordValue(us);
  const elapsed = result.elapsedMs / 1000;
  return {
    concurrency,
    seconds: Math.round(elapsed * 100) / 100,
    transactions: result.transactions,
    failed: result.failed,
    perSecond: Math.round((result.transactions / elapsed) * 10) / 10,
    latency: summarize(latency),
  };
}
