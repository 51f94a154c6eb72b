import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../../../services/src/store/client";
import { limitKey, orderKey, shardKey } from "../../../services/src/store/keys";
import { batchPut } from "../../../services/src/store/merchandising";
import { ensureTable } from "../../../services/src/store/table";
import { newHistogram, summarize, type LatencySummary } from "../load/histograms";

export interface EngineBench {
  concurrency: number;
  seconds: number;
  transactions: number;
  failed: number;
  perSecond: number;
  latency: LatencySummary;
}

const BENCH_TABLE = "perf-engine-bench";

/**
 * The engine's own ceiling: purchase-shaped TransactWriteItems (shard decrement with its condition,
 * order put, limit counter) sent straight to DynamoDB Local with `concurrency` in flight, no gateway,
 * no handler. A separate table, so the sale's audit is untouched.
 */
export async function benchEngine(endpoint: string, options: { seconds?: number; concurrency?: number; shards?: number; region?: string } = {}): Promise<EngineBench> {
  const seconds = options.seconds ?? 5;
  const concurrency = options.concurrency ?? 32;
  const shards = options.shards ?? 16;
  const doc = createDocumentClient({ region: options.region ?? "us-east-1", endpoint });
  await ensureTable(doc, BENCH_TABLE);
  const sku = `bench-${randomUUID().slice(0, 8)}`;
  await batchPut(doc, BENCH_TABLE, Array.from({ length: shards }, (_, k) => ({ ...shardKey(sku, k), type: "STOCK", units: 1_000_000_000 })));
  const latency = newHistogram();
  let transactions = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const shopper = randomUUID();
      const orderId = randomUUID();
      const t0 = performance.now();
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: { TableName: BENCH_TABLE, Key: shardKey(sku, Math.floor(Math.random() * shards)), UpdateExpression: "SET #u = #u - :q", ConditionExpression: "#u >= :q", ExpressionAttributeNames: { "#u": "units" }, ExpressionAttributeValues: { ":q": 1 } } },
              { Put: { TableName: BENCH_TABLE, Item: { ...orderKey(shopper, orderId), type: "ORDER", orderId, sku, quantity: 1, priceCents: 1, totalCents: 1, currency: "EUR", createdAt: new Date().toISOString(), status: "CONFIRMED" }, ConditionExpression: "attribute_not_exists(pk)" } },
              { Update: { TableName: BENCH_TABLE, Key: limitKey(shopper, sku), UpdateExpression: "ADD #u :q", ExpressionAttributeNames: { "#u": "units" }, ExpressionAttributeValues: { ":q": 1 } } },
            ],
          }),
        );
        transactions++;
        latency.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  doc.destroy();
  return { concurrency, seconds: Math.round(elapsed * 100) / 100, transactions, failed, perSecond: Math.round((transactions / elapsed) * 10) / 10, latency: summarize(latency) };
}
