import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { limitKey, orderKey, shardKey } from "../store/keys";
import { batchPut } from "../store/merchandising";
import { ensureTable } from "../store/table";

/** A table of its own for engine load, so no sale's audit ever sees it. */
export const SCRATCH_TABLE = "engine-scratch";

export interface EngineLoadOptions {
  /** Stop after this long (ms)... */
  maxMs: number;
  /** ...or as soon as this says so, asked after every window. */
  settled?: (windowRates: number[]) => boolean;
  concurrency?: number;
  shards?: number;
  /** Width of a throughput window (ms). */
  windowMs?: number;
}

export interface EngineLoadResult {
  transactions: number;
  failed: number;
  elapsedMs: number;
  /** Transactions/s in each window, in order. */
  windowRates: number[];
  /** Each transaction's latency in microseconds, for histograms. */
  latenciesUs: number[];
}

/**
 * Purchase-shaped TransactWriteItems (a shard decrement with its condition, an order put, a limit
 * counter) straight to DynamoDB, `concurrency` in flight, on a scratch table: the engine's own ceiling,
 * and what warms DynamoDB Local's JVM for a sale.
 */
export async function runPurchaseShapedLoad(doc: DynamoDBDocumentClient, options: EngineLoadOptions): Promise<EngineLoadResult> {
  const concurrency = options.concurrency ?? 32;
  const shards = options.shards ?? 16;
  const windowMs = options.windowMs ?? 500;
  await ensureTable(doc, SCRATCH_TABLE);
  const sku = `scratch-${randomUUID().slice(0, 8)}`;
  await batchPut(doc, SCRATCH_TABLE, Array.from({ length: shards }, (_, k) => ({ ...shardKey(sku, k), type: "STOCK", units: 1_000_000_000 })));

  const latenciesUs: number[] = [];
  const windowRates: number[] = [];
  let transactions = 0;
  let failed = 0;
  let inWindow = 0;
  let stop = false;
  const started = performance.now();
  const ticker = setInterval(() => {
    windowRates.push(Math.round((inWindow / windowMs) * 1000 * 10) / 10);
    inWindow = 0;
    if (performance.now() - started >= options.maxMs || options.settled?.(windowRates)) stop = true;
  }, windowMs);
  const worker = async () => {
    while (!stop) {
      const shopper = randomUUID();
      const orderId = randomUUID();
      const t0 = performance.now();
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: { TableName: SCRATCH_TABLE, Key: shardKey(sku, Math.floor(Math.random() * shards)), UpdateExpression: "SET #u = #u - :q", ConditionExpression: "#u >= :q", ExpressionAttributeNames: { "#u": "units" }, ExpressionAttributeValues: { ":q": 1 } } },
              { Put: { TableName: SCRATCH_TABLE, Item: { ...orderKey(shopper, orderId), type: "ORDER", orderId, sku, quantity: 1, priceCents: 1, totalCents: 1, currency: "EUR", createdAt: new Date().toISOString(), status: "CONFIRMED" }, ConditionExpression: "attribute_not_exists(pk)" } },
              { Update: { TableName: SCRATCH_TABLE, Key: limitKey(shopper, sku), UpdateExpression: "ADD #u :q", ExpressionAttributeNames: { "#u": "units" }, ExpressionAttributeValues: { ":q": 1 } } },
            ],
          }),
        );
        transactions++;
        inWindow++;
        latenciesUs.push(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(ticker);
  return { transactions, failed, elapsedMs: performance.now() - started, windowRates, latenciesUs };
}

/**
 * Warm until the rate settles: the last three 500 ms windows within 15% of each other, after at least
 * 3 s; at most `maxMs`. A fresh JVM commits a fraction of its warm rate for its first seconds.
 */
export async function warmEngine(doc: DynamoDBDocumentClient, maxMs = 15_000): Promise<{ seconds: number; rate: number; settled: boolean }> {
  const settled = (rates: number[]) => {
    if (rates.length < 6) return false;
    const last = rates.slice(-3);
    return Math.min(...last) >= 0.85 * Math.max(...last) && Math.min(...last) > 0;
  };
  const result = await runPurchaseShapedLoad(doc, { maxMs, settled });
  const last = result.windowRates.slice(-3);
  return {
    seconds: Math.round(result.elapsedMs / 100) / 10,
    rate: Math.round(last.reduce((sum, rate) => sum + rate, 0) / Math.max(1, last.length)),
    settled: settled(result.windowRates),
  };
}
