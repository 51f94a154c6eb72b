import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { PurchaseWrite } from "@flash-sale/services/domain";
import { purchaseTransaction } from "@flash-sale/services/store";
import { shardKey } from "@flash-sale/services/store";
import { batchPut } from "@flash-sale/services/store";
import { ensureTable } from "@flash-sale/services/store";

/** A table of its own for engine load, so no sale's audit ever sees it. */
export const SCRATCH_TABLE = "engine-scratch";

export interface EngineLoadOptions {
  /** Stop after this long (ms)... */
  maxMs: number;
  /** ...or once this many transactions were sent... */
  maxTransactions?: number;
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
export async function runPurchaseShapedLoad(
  doc: DynamoDBDocumentClient,
  options: EngineLoadOptions,
): Promise<EngineLoadResult> {
  const concurrency = options.concurrency ?? 32;
  const shards = options.shards ?? 16;
  const windowMs = options.windowMs ?? 500;
  await ensureTable(doc, SCRATCH_TABLE);
  const sku = `scratch-${randomUUID().slice(0, 8)}`;
  await batchPut(
    doc,
    SCRATCH_TABLE,
    Array.from({ length: shards }, (_, k) => ({ ...shardKey(sku, k), type: "STOCK", units: 1_000_000_000 })),
  );

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
  let sent = 0;
  const worker = async () => {
    while (!stop && sent++ < (options.maxTransactions ?? Number.POSITIVE_INFINITY)) {
      const t0 = performance.now();
      try {
        await doc.send(
          new TransactWriteCommand(
            purchaseTransaction(SCRATCH_TABLE, aPurchaseWrite(sku, Math.floor(Math.random() * shards), randomUUID())),
          ),
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
 * One attempt of a 1-unit purchase of `sku` from `shard` by `shopper`, with a fresh order and token:
 * sent as `purchaseTransaction` it is exactly the transaction a purchase makes.
 */
export function aPurchaseWrite(sku: string, shard: number, shopper: string, perCustomerLimit = 10): PurchaseWrite {
  const orderId = randomUUID();
  return {
    shopper,
    order: {
      orderId,
      sku,
      quantity: 1,
      priceCents: 1,
      totalCents: 1,
      currency: "EUR",
      createdAt: new Date().toISOString(),
      status: "CONFIRMED",
    },
    takes: [{ shard, units: 1 }],
    perCustomerLimit,
    requestToken: randomUUID(),
  };
}

export interface Warmup {
  seconds: number;
  /** Purchase-shaped transactions/s of each slice, in order: the JVM's warm-up curve. */
  rates: number[];
  settled: boolean;
}

/**
 * A fresh DynamoDB Local JVM commits a fraction of its warm rate for its first seconds: send
 * purchase-shaped transactions (on the scratch table) until two slices in a row agree within
 * `tolerance` (after at least three slices), or `maxMs` passes.
 */
export async function warmEngine(
  doc: DynamoDBDocumentClient,
  options: { maxMs?: number; sliceMs?: number; tolerance?: number; concurrency?: number } = {},
): Promise<Warmup> {
  const tolerance = options.tolerance ?? 0.1;
  const settled = (rates: number[]) => {
    const [before, last] = rates.slice(-2);
    return (
      rates.length >= 3 &&
      before !== undefined &&
      last !== undefined &&
      last > 0 &&
      Math.abs(last - before) <= tolerance * Math.max(before, 1)
    );
  };
  const result = await runPurchaseShapedLoad(doc, {
    maxMs: options.maxMs ?? 15_000,
    windowMs: options.sliceMs ?? 1_000,
    settled,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  return {
    seconds: Math.round(result.elapsedMs / 100) / 10,
    rates: result.windowRates,
    settled: settled(result.windowRates),
  };
}
