import { randomUUID } from "node:crypto";
import { SHARD_WRITE_UNITS_PER_PURCHASE } from "@flash-sale/services/contract";
import { startDynamoLocal } from "@flash-sale/local/dynamo-local";
import { createDocumentClient } from "@flash-sale/services/store";
import { createProduct } from "@flash-sale/services/store";
import { ensureTable } from "@flash-sale/services/store";
import { benchEngine, type EngineBench } from "@flash-sale/local/engine-bench";
import { warmEngine, type Warmup } from "../engine/warm";
import { summarize } from "../load/histograms";
import { runOpenLoop } from "../load/open-loop";
import { Recorder } from "../load/recorder";
import { buildSchedule } from "../load/schedule";
import { startSelfCheck, type SelfCheck } from "../load/self-check";
import { loadAverage } from "../report/machine";
import { awsScale, type AwsScale } from "./aws";
import { startContainers, type ContainerPool } from "./containers";
import type { ProxyStats } from "./proxy";
import { startProxyProcess, type ProxyProcess } from "./proxy-process";

export interface ModelOptions {
  shardCounts: number[];
  /** Offered purchases per second, the same for every shard count. */
  rate: number;
  seconds: number;
  /** Write units per second per partition key. */
  budget: number;
  /** Shop instances sharing the load, like Lambda containers (each with its own snapshot). */
  containers: number;
  shoppers: number;
  conflicts: boolean;
  /** Longest warm-up of DynamoDB Local before the rows (it stops once the rate settles). */
  warmupSeconds: number;
  /**
   * Largest share of DynamoDB Local's warm throughput (measured before the rows) a row's partition
   * capacity may need; a row over it would measure the engine, not the partitions, and is skipped.
   */
  engineShare: number;
}

export interface ModelRow {
  shards: number;
  offeredPerSecond: number;
  successPerSecond: number;
  /** Purchases/s the shards' partitions allow at 2 write units per purchase on a shard. */
  partitionCapacityPerSecond: number;
  throttleRate: number;
  throttled: number;
  tryAgain: number;
  p99Ms: number;
  /** Write units charged per confirmed purchase (all partitions, failed attempts included). */
  writeUnitsPerPurchase: number;
  limitedBy: "partitions" | "engine" | "offered load";
  /** The machine's 1-minute load average when the row finished. */
  loadAverage: number;
  /** The same shard count on AWS, by the published limits. */
  aws: AwsScale;
  selfCheck: SelfCheck;
  proxy: ProxyStats;
}

export interface ModelResult {
  options: ModelOptions;
  warmup: Warmup;
  /** DynamoDB Local alone, warm, before the rows: the ceiling rows are checked against. */
  engineBefore: EngineBench;
  /** The same, after the rows. */
  engine: EngineBench;
  rows: ModelRow[];
  skipped: Array<{ shards: number; reason: string }>;
  loadAverage: { start: number; end: number };
}

/** Processes hosting the shop instances (the machine has 2 cores; more processes only add contention). */
const CONTAINER_PROCESSES = 2;

/**
 * The hot-partition scale model: the same open-loop purchase load against 1, 2, 4, ... shards, through
 * the real purchase engine (createShop) pointed at the throttling proxy in front of DynamoDB Local.
 */
export async function runModel(options: ModelOptions, log: (line: string) => void): Promise<ModelResult> {
  const startLoad = loadAverage();
  const dynamo = await startDynamoLocal();
  const region = "us-east-1";
  const tableName = "perf-model";
  try {
    const doc = createDocumentClient({ region, endpoint: dynamo.endpoint });
    await ensureTable(doc, tableName);
    // A cold JVM is several times slower than a warm one: warm it until its rate settles, then measure its own ceiling.
    log(`warming DynamoDB Local (at most ${options.warmupSeconds} s, until two 2 s slices agree within 5%)...`);
    const warmup = await warmEngine(dynamo.endpoint, { maxSeconds: options.warmupSeconds });
    const engineBefore = await benchEngine(dynamo.endpoint, { seconds: 3, concurrency: 32 });
    const ceiling = options.engineShare * engineBefore.perSecond;
    log(
      `warm-up: ${warmup.rates.join(" → ")} tx/s per slice; DynamoDB Local alone, warm: ${engineBefore.perSecond} purchase-shaped tx/s (32 in flight), load average ${loadAverage().toFixed(2)}`,
    );
    const proxy = await startProxyProcess({
      upstream: dynamo.endpoint,
      unitsPerSecond: options.budget,
      conflicts: options.conflicts,
    });
    const shoppers = Array.from({ length: options.shoppers }, () => randomUUID());
    const rows: ModelRow[] = [];
    const skipped: ModelResult["skipped"] = [];
    try {
      for (const shards of options.shardCounts) {
        const capacity = partitionCapacity(shards, options.budget);
        if (capacity > ceiling) {
          const reason = `its partitions allow ${capacity} purchases/s, over ${options.engineShare} × DynamoDB Local's warm ${engineBefore.perSecond} tx/s measured on this machine just now (load average ${loadAverage().toFixed(2)}): the row would measure the engine, not the partitions`;
          skipped.push({ shards, reason });
          log(`${String(shards).padStart(6)}  skipped: ${reason}`);
          continue;
        }
        const sku = `model-${shards}-${randomUUID().slice(0, 6)}`;
        await createProduct(doc, tableName, {
          sku,
          name: `model ${shards} shards`,
          description: "scale model",
          imageUrl: "https://example.com/m.png",
          priceCents: 100,
          currency: "EUR",
          saleStartsAt: new Date(Date.now() - 60_000).toISOString(),
          saleEndsAt: new Date(Date.now() + 3_600_000).toISOString(),
          perCustomerLimit: 100,
          shardCount: shards,
          units: 10_000_000,
        });
        // Fresh containers per shard count (no stock knowledge carried over), warmed before the clock starts.
        const containers = await startContainers(
          { tableName, region, endpoint: proxy.endpoint },
          CONTAINER_PROCESSES,
          Math.ceil(options.containers / CONTAINER_PROCESSES),
        );
        let row: ModelRow;
        try {
          await containers.warm(sku);
          // Counters to zero and every bucket empty: no row starts with a second's worth of units saved up.
          await proxy.reset();
          row = await measure(shards, sku, containers, shoppers, options, proxy);
        } finally {
          await containers.close();
        }
        rows.push(row);
        log(formatRow(row, rows[0]));
      }
    } finally {
      await proxy.close();
      doc.destroy();
    }
    // Measured again on the JVM the rows warmed, so the ceiling is not understated.
    const engine = await benchEngine(dynamo.endpoint, { seconds: 3, concurrency: 32 });
    log(
      `DynamoDB Local alone, afterwards: ${engine.perSecond} purchase-shaped transactions/s (32 in flight, no proxy)`,
    );
    return {
      options,
      warmup,
      engineBefore,
      engine,
      rows,
      skipped,
      loadAverage: { start: startLoad, end: loadAverage() },
    };
  } finally {
    await dynamo.stop();
  }
}

/** Purchases/s N shards' partitions allow: each purchase writes 2 units (transactional) on its shard. */
export const partitionCapacity = (shards: number, budget: number) => (shards * budget) / SHARD_WRITE_UNITS_PER_PURCHASE;

async function measure(
  shards: number,
  sku: string,
  containers: ContainerPool,
  shoppers: string[],
  options: ModelOptions,
  proxy: ProxyProcess,
): Promise<ModelRow> {
  const schedule = buildSchedule([
    { name: "purchase", profile: { kind: "constant", rate: options.rate, durationMs: options.seconds * 1000 } },
  ]);
  const recorder = new Recorder(["purchase"], Date.now());
  const monitor = startSelfCheck();
  let lastSuccessMs = 0;
  const started = performance.now();
  const state = await runOpenLoop({
    schedule,
    recorder,
    maxInFlight: 20_000,
    execute: () => {
      const shopper = shoppers[Math.floor(Math.random() * shoppers.length)]!;
      const done = containers.purchase(shopper, sku, randomUUID()).then((label) => {
        if (label === "purchase 201") lastSuccessMs = performance.now() - started;
        return label;
      });
      return { kind: "purchase", done };
    },
  });
  const selfCheck = monitor.finish(recorder, state.dispatchWindowMs, schedule.durationMs);
  const confirmed = recorder.outcomes.get("purchase 201") ?? 0;
  const windowS = Math.max(schedule.durationMs, lastSuccessMs) / 1000;
  const stats = await proxy.stats();
  const successPerSecond = round(confirmed / windowS);
  const offeredPerSecond = round(schedule.at.length / (schedule.durationMs / 1000));
  const partitionCapacityPerSecond = partitionCapacity(shards, options.budget);
  const expected = Math.min(offeredPerSecond, partitionCapacityPerSecond);
  const throttleRate = stats.writeRequests ? stats.throttled / stats.writeRequests : 0;
  // Partitions that are the limit are used to the full (the buckets start empty, so never beyond): well
  // short of min(offered, capacity), throttled or not, the engine and the processes around it were the limit.
  const limitedBy =
    successPerSecond < expected * 0.8
      ? "engine"
      : partitionCapacityPerSecond < offeredPerSecond
        ? "partitions"
        : "offered load";
  return {
    shards,
    offeredPerSecond,
    successPerSecond,
    partitionCapacityPerSecond,
    throttleRate: round(throttleRate, 3),
    throttled: stats.throttled,
    tryAgain: recorder.outcomes.get("purchase 503 TRY_AGAIN") ?? 0,
    p99Ms: summarize(recorder.histogram("all")).p99,
    writeUnitsPerPurchase: confirmed ? round(stats.chargedWriteUnits / confirmed, 2) : 0,
    limitedBy,
    loadAverage: loadAverage(),
    aws: awsScale(shards),
    selfCheck,
    proxy: stats,
  };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export const TABLE_HEADER =
  "shards  offered/s  success/s  capacity/s  × 1 shard  throttle rate  TRY_AGAIN   p99 ms  WCU/purchase  load avg  │ AWS purchases/s  limited by";

/** One row; `base` (the first row, normally 1 shard) gives the scaling column. */
export function formatRow(row: ModelRow, base?: ModelRow): string {
  const scaling =
    base && base.successPerSecond > 0 ? `${(row.successPerSecond / base.successPerSecond).toFixed(1)}x` : "-";
  return [
    String(row.shards).padStart(6),
    String(row.offeredPerSecond).padStart(9),
    String(row.successPerSecond).padStart(9),
    String(row.partitionCapacityPerSecond).padStart(10),
    scaling.padStart(10),
    `${(row.throttleRate * 100).toFixed(1)}%`.padStart(13),
    String(row.tryAgain).padStart(9),
    String(Math.round(row.p99Ms)).padStart(8),
    String(row.writeUnitsPerPurchase).padStart(12),
    row.loadAverage.toFixed(2).padStart(8),
    `│ ${`${row.aws.purchasesPerSecond.toLocaleString("en-US")}${row.aws.limitedBy === "table quota" ? "*" : " "}`.padStart(15)}`,
    ` ${row.limitedBy}${row.selfCheck.valid ? "" : " (INVALID: generator-bound)"}`,
  ].join("  ");
}
