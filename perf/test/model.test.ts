import type { EngineBench } from "@flash-sale/local/engine-bench";
import { awsScale } from "../src/model/aws";
import { formatModelReport } from "../src/model/model-report";
import { partitionCapacity, type ModelResult, type ModelRow } from "../src/model/run-model";

const bench = (perSecond: number): EngineBench => ({
  concurrency: 32,
  seconds: 3,
  transactions: perSecond * 3,
  failed: 0,
  perSecond,
  latency: { count: 1, mean: 1, p50: 1, p90: 1, p99: 1, p999: 1, max: 1 },
});

function row(shards: number, successPerSecond: number, valid = true): ModelRow {
  return {
    shards,
    offeredPerSecond: 150,
    successPerSecond,
    partitionCapacityPerSecond: partitionCapacity(shards, 6),
    throttleRate: 0.9,
    throttled: 100,
    tryAgain: 10,
    p99Ms: 1234.5,
    writeUnitsPerPurchase: 6,
    limitedBy: "partitions",
    loadAverage: 3.5,
    aws: awsScale(shards),
    selfCheck: {
      targetRate: 150,
      achievedRate: 150,
      scheduled: 600,
      dispatched: 600,
      dropped: 0,
      eventLoopLagMs: { p50: 10, p99: valid ? 20 : 70, max: 80 },
      dispatchLateness: bench(1).latency,
      cpuCores: 0.1,
      valid,
      reasons: valid ? [] : ["loop delay over 50 ms"],
      warnings: [],
    },
    proxy: {
      requests: 0,
      writeRequests: 0,
      throttled: 0,
      conflicts: 0,
      chargedWriteUnits: 0,
      consumedWriteUnits: 0,
      consumedReadUnits: 0,
      byOperation: {},
    },
  };
}

function result(rows: ModelRow[], skipped: ModelResult["skipped"] = []): ModelResult {
  return {
    options: {
      shardCounts: [1, 16, 32],
      rate: 150,
      seconds: 4,
      budget: 6,
      containers: 16,
      shoppers: 2000,
      conflicts: false,
      warmupSeconds: 30,
      engineShare: 0.5,
    },
    warmup: { seconds: 8, rates: [100, 180, 190], settled: true },
    engineBefore: bench(190),
    engine: bench(200),
    rows,
    skipped,
    loadAverage: { start: 2.5, end: 4.25 },
  };
}

describe("AWS arithmetic beside the model", () => {
  it("gives each shard's partition 500 purchases/s (1,000 WCU/s at 2 WCU per transactional shard write)", () => {
    expect(awsScale(1)).toMatchObject({ partitionsAllow: 500, purchasesPerSecond: 500, limitedBy: "partitions" });
    expect(awsScale(13)).toMatchObject({ partitionsAllow: 6_500, purchasesPerSecond: 6_500, limitedBy: "partitions" });
  });

  it("caps N shards at the table's default quota: 40,000 WCU/s at 6 WCU per purchase", () => {
    expect(awsScale(16)).toMatchObject({
      partitionsAllow: 8_000,
      tableQuotaAllows: 6_666,
      purchasesPerSecond: 6_666,
      limitedBy: "table quota",
    });
    expect(awsScale(16).newTableAllows).toBe(666);
  });

  it("scales the model's partitions from its budget: 2 units of it per purchase on a shard", () => {
    expect(partitionCapacity(1, 6)).toBe(3);
    expect(partitionCapacity(16, 6)).toBe(48);
  });
});

describe("scale model report", () => {
  it("prints each row's multiple of the 1-shard rate, the AWS figure beside it and the load average", () => {
    const text = formatModelReport(result([row(1, 3), row(16, 45.9)]));
    const sixteen = text.split("\n").find((line) => /^\s+16\s/.test(line));

    expect(sixteen).toMatch(/\s15\.3x\s/);
    expect(sixteen).toMatch(/\s3\.50\s+│\s+6,666\*/);
    expect(text).toContain("scaling: 16 shards 15.3x the 1-shard rate");
    expect(text).toContain("load average 2.50 → 4.25");
    expect(text).toContain(
      "40,000 WCU/s ÷ 6 WCU per purchase (shard, order, limit) = 6,666 purchases/s, from 14 shards on",
    );
  });

  it("says why a shard count was skipped and warns about generator-bound rows", () => {
    const text = formatModelReport(
      result(
        [row(1, 3), row(16, 44, false)],
        [{ shards: 32, reason: "its partitions allow 96 purchases/s, over 0.5 × ..." }],
      ),
    );

    expect(text).toMatch(/^\s+32\s+skipped: its partitions allow 96 purchases\/s/m);
    expect(text).toContain("warning: the 16-shard row was generator-bound");
  });
});
