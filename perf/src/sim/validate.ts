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
  /** Purchases/s of the same drive over this many shards when stock cannot run out. */
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
      const before = await calibrate(store, doc, tableName, options.containers, shards, options.seed);
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
      const after = await calibrate(store, doc, tableName, options.containers, shards, options.seed);
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
 * What one purchase costs this machine on DynamoDB Local, as the local rules need it: the same drive (same
 * containers, same shard count) on a product whose stock cannot run out, so nothing of the sell-out is in
 * it; its purchases/s, every purchase as one slot of the one engine (the domain's and the SDK's CPU share
 * the machine with the engine, so the engine's own throughput alone overstates the pace).
 */
async function calibrate(
  store: DynamoShopStore,
  doc: Parameters<typeof loadProduct>[0],
  tableName: string,
  containers: number,
  shards: number,
  seed: number,
): Promise<Calibration> {
  const sku = `calibrate-${shards}-${Date.now()}`;
  await loadProduct(doc, tableName, newProduct(sku, 1_000_000_000, shards, Date.now()));
  const run = await driveSale({
    store,
    sku,
    shoppers: 600,
    containers,
    clock: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: seededRandom(seed),
  });
  return { enginePerSecond: run.confirmedPerSecond, transactMs: 1_000 / run.confirmedPerSecond, readMs: 0 };
}

function meanOf(a: Calibration, b: Calibration): Calibration {
  const enginePerSecond = (a.enginePerSecond + b.enginePerSecond) / 2;
  return {
    enginePerSecond,
    transactMs: 1_000 / enginePerSecond,
    readMs: 0,
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
