import { startDynamoLocal } from "@flash-sale/local/dynamo-local";
import { benchEngine } from "@flash-sale/local/engine-bench";
import type { Product } from "@flash-sale/services/contract";
import { createDocumentClient, DynamoShopStore, ensureTable, loadProduct } from "@flash-sale/services/store";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { driveSale, type DriveResult } from "./drive";
import { seededRandom } from "./random";
import { AWS_RULES } from "./rules";
import { split } from "./sale";
import { SimTable } from "./sim-table";
import { VirtualTime } from "./virtual-time";

export interface ValidationRow {
  shards: number;
  /** DynamoDB Local's service times for this shard count, as the local rules use them. */
  calibration: Calibration;
  local: DriveResult;
  simulated: DriveResult;
  /** |simulated - local| / local, for confirmed/s and attempts per purchase. */
  rateGap: number;
  attemptsGap: number;
  agrees: boolean;
}

export interface Calibration {
  transactMs: number;
  readMs: number;
  /** Purchase-shaped transactions/s over this many shards at the sale's concurrency. */
  enginePerSecond: number;
  /** The lower and higher of the measurements averaged. */
  range?: [number, number];
}

export interface Validation {
  rows: ValidationRow[];
  tolerance: number;
}

const HOUR = 3_600_000;

/**
 * The same small sale on DynamoDB Local and in the simulator switched to DynamoDB Local's behaviour
 * (one engine serving one request at a time, no TransactionConflict, no partition or table limits),
 * with the engine's service times measured first on the same engine, one request at a time.
 */
export async function validateAgainstDynamoLocal(options: {
  port: number;
  shoppers: number;
  units: number;
  shards: number[];
  containers: number;
  seed: number;
  tolerance: number;
}): Promise<Validation> {
  const engine = await startDynamoLocal({ port: options.port });
  try {
    const endpoint = `http://localhost:${options.port}`;
    const raw = new DynamoDBClient({
      region: "us-east-1",
      endpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const doc = createDocumentClient({ region: "us-east-1", endpoint });
    const tableName = "simulator-validation";
    await ensureTable(raw, tableName);
    const store = new DynamoShopStore(doc, tableName);
    // A fresh JVM is slow for its first seconds: warm it before any measurement.
    await benchEngine(endpoint, { seconds: 4, concurrency: options.containers });
    const rows: ValidationRow[] = [];
    for (const shards of options.shards) {
      const before = await calibrate(store, doc, tableName, endpoint, options.containers, shards);
      const sku = `validate-${shards}-${Date.now()}`;
      await loadProduct(doc, tableName, newProduct(sku, options.units, shards, Date.now()));
      const local = await driveSale({
        store,
        sku,
        shoppers: options.shoppers,
        containers: options.containers,
        clock: Date.now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: seededRandom(options.seed),
      });
      // The machine's load moves the engine's pace: measured before and after the sale, the mean is used.
      const after = await calibrate(store, doc, tableName, endpoint, options.containers, shards);
      const calibration = meanOf(before, after);
      const simulated = await simulateLocal(options, shards, calibration);
      const rateGap = Math.abs(simulated.confirmedPerSecond - local.confirmedPerSecond) / local.confirmedPerSecond;
      const attemptsGap =
        Math.abs(simulated.attemptsPerPurchase - local.attemptsPerPurchase) / local.attemptsPerPurchase;
      rows.push({
        shards,
        calibration,
        local,
        simulated,
        rateGap,
        attemptsGap,
        agrees: rateGap <= options.tolerance && attemptsGap <= options.tolerance,
      });
    }
    raw.destroy();
    doc.destroy();
    return { rows, tolerance: options.tolerance };
  } finally {
    await engine.stop();
  }
}

async function simulateLocal(
  options: { shoppers: number; units: number; containers: number; seed: number },
  shards: number,
  calibration: Calibration,
): Promise<DriveResult> {
  const time = new VirtualTime();
  const table = new SimTable(time, {
    ...AWS_RULES,
    mode: "local",
    localServiceMs: { transact: calibration.transactMs, read: calibration.readMs },
  });
  const sku = "validate";
  const { units: _units, ...product } = newProduct(sku, options.units, shards, 0);
  table.load({ ...product, loadedUnits: options.units, soldOut: false } as Product, split(options.units, shards));
  const driving = driveSale({
    store: table,
    sku,
    shoppers: options.shoppers,
    containers: options.containers,
    clock: time.clock,
    sleep: time.sleep,
    random: seededRandom(options.seed),
  });
  await time.run();
  return driving;
}

/**
 * The engine's service times as the local rules need them: its throughput of purchase-shaped transactions
 * at the sale's concurrency over the sale's number of shards (DynamoDB Local serves requests in parallel,
 * so one request's latency says little, and transactions on one item go slower than spread ones), and a
 * read's cost relative to a transaction's, one request at a time.
 */
async function calibrate(
  store: DynamoShopStore,
  doc: Parameters<typeof loadProduct>[0],
  tableName: string,
  endpoint: string,
  concurrency: number,
  shards: number,
): Promise<Calibration> {
  const bench = await benchEngine(endpoint, { seconds: 5, concurrency, shards });
  const sku = `calibrate-${Date.now()}`;
  await loadProduct(doc, tableName, newProduct(sku, 1_000_000, 1, Date.now()));
  const order = (i: number) => ({
    orderId: `calibrate-${i}-${sku}`,
    sku,
    quantity: 1,
    priceCents: 100,
    totalCents: 100,
    currency: "USD",
    createdAt: new Date().toISOString(),
    status: "CONFIRMED" as const,
  });
  const count = 200;
  let started = performance.now();
  for (let i = 0; i < count; i++)
    await store.writePurchase({
      shopper: `cal-${i}`,
      order: order(i),
      takes: [{ shard: 0, units: 1 }],
      perCustomerLimit: 1,
      requestToken: `c-${i}-${sku}`,
    });
  const serialTransactMs = (performance.now() - started) / count;
  started = performance.now();
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) await store.getOrder(`cal-${i}`, order(i).orderId);
    else await store.readShardUnits([{ sku, shardCount: 1 }]);
  }
  const serialReadMs = (performance.now() - started) / count;
  const transactMs = 1_000 / bench.perSecond;
  return { transactMs, readMs: transactMs * (serialReadMs / serialTransactMs), enginePerSecond: bench.perSecond };
}

function meanOf(a: Calibration, b: Calibration): Calibration {
  const enginePerSecond = (a.enginePerSecond + b.enginePerSecond) / 2;
  return {
    enginePerSecond,
    transactMs: 1_000 / enginePerSecond,
    readMs: (a.readMs / a.transactMs + b.readMs / b.transactMs) * (500 / enginePerSecond),
    range: [Math.min(a.enginePerSecond, b.enginePerSecond), Math.max(a.enginePerSecond, b.enginePerSecond)],
  };
}

function newProduct(sku: string, units: number, shards: number, now: number) {
  return {
    sku,
    name: "Validation item",
    description: "A unit of the simulator's validation sale",
    imageUrl: "https://example.com/x.png",
    priceCents: 100,
    currency: "USD",
    saleStartsAt: new Date(now - HOUR).toISOString(),
    saleEndsAt: new Date(now + 24 * HOUR).toISOString(),
    perCustomerLimit: 1,
    shardCount: shards,
    units,
    waitingRoom: false,
    checkout: "instant" as const,
    holdSeconds: 300,
  };
}
