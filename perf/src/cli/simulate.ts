import { readFileSync } from "node:fs";
import { DEFAULT_TABLE_WRITE_QUOTA } from "@flash-sale/services/contract";
import { helpText, parseOptions, type OptionSpecs } from "@flash-sale/services/cli";
import { sustainableShardRate } from "../sim/contention";
import { GRID_HEADER, gridLine, simulateGrid } from "../sim/grid";
import { AWS_RULES, FRONT_RULES } from "../sim/rules";
import { validateAgainstDynamoLocal } from "../sim/validate";

const OPTIONS = {
  shoppers: {
    type: "number",
    list: true,
    whole: true,
    min: 1,
    max: 10_000_000,
    default: "100000,1000000",
    help: "shoppers per sale (comma-separated)",
  },
  units: {
    type: "number",
    list: true,
    whole: true,
    min: 1,
    max: 10_000_000,
    default: "10000,100000",
    help: "units loaded (comma-separated)",
  },
  shards: {
    type: "number",
    list: true,
    whole: true,
    min: 1,
    max: 256,
    default: "1,4,16,64",
    help: "stock shards (comma-separated)",
  },
  "arrival-seconds": {
    type: "number",
    positive: true,
    default: 60,
    help: "shoppers arrive at random over this many seconds from the opening",
  },
  "max-seconds": {
    type: "number",
    positive: true,
    default: 8,
    help: "virtual time simulated; a sale not sold out by then is projected (marked ~) at the rate of its second half, as if shoppers kept coming",
  },
  seed: {
    type: "number",
    whole: true,
    min: 0,
    max: 2 ** 31,
    default: 1,
    help: "random seed: the same seed gives the same figures",
  },
  "conflict-window-ms": {
    type: "number",
    min: 0,
    max: 1_000,
    default: AWS_RULES.conflictWindowMs,
    help: "how long a transaction holds its items (ASSUMPTION: AWS publishes none; 2 phases of a single-digit-ms write)",
  },
  "transact-ms": {
    type: "number",
    positive: true,
    default: AWS_RULES.transactMs,
    help: "client-observed TransactWriteItems latency (ms)",
  },
  "read-ms": { type: "number", positive: true, default: AWS_RULES.readMs, help: "read latency (ms)" },
  "table-wcu": {
    type: "number",
    positive: true,
    default: AWS_RULES.tableWriteUnits,
    help: "table write units/s at the opening: 4,000 for a new on-demand table, or its warm throughput",
  },
  "table-rcu": {
    type: "number",
    positive: true,
    default: AWS_RULES.tableReadUnits,
    help: "table read units/s: 12,000 for a new on-demand table (and the stack's planned read warm throughput)",
  },
  concurrency: {
    type: "number",
    whole: true,
    min: 1,
    max: 1_000_000,
    default: FRONT_RULES.accountConcurrency,
    help: "Lambda account concurrency",
  },
  "cold-start-ms": {
    type: "number",
    min: 0,
    max: 60_000,
    default: FRONT_RULES.coldStartMs,
    help: "a new environment's init (ms)",
  },
  "stage-rps": {
    type: "number",
    positive: true,
    default: FRONT_RULES.stageRps,
    help: "API stage throttle, requests/s (infra apiThrottleRateLimit)",
  },
  "stage-burst": {
    type: "number",
    positive: true,
    default: FRONT_RULES.stageBurst,
    help: "API stage burst (infra apiThrottleBurstLimit)",
  },
  "shard-rate": {
    type: "boolean",
    default: false,
    help: "print the purchases/s one shard sustains under contention (services capacity.ts) and stop",
  },
  validate: {
    type: "boolean",
    default: false,
    help: "run the same small sale on DynamoDB Local and in the simulator in 'local' mode, side by side",
  },
  "dynamodb-port": {
    type: "number",
    whole: true,
    min: 1,
    max: 65_535,
    default: 5_100,
    help: "DynamoDB Local's port for --validate",
  },
} satisfies OptionSpecs;

function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

export async function simulateCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- simulate [options]",
        "A flash sale at AWS scale in virtual time (deterministic per --seed): the real purchase domain in every Lambda environment over an in-memory table under DynamoDB's published rules (perf/src/sim/rules.ts names each with its source or as an assumption), behind API Gateway's quotas, with shoppers retrying as the storefront does. After the sell-out is flagged, shoppers still to come are counted as one fast-path SOLD_OUT answer each (its simulated latency and cost), not simulated one by one.",
        OPTIONS,
      ),
    );
    return 0;
  }
  const dynamo = {
    ...AWS_RULES,
    conflictWindowMs: options["conflict-window-ms"],
    transactMs: options["transact-ms"],
    readMs: options["read-ms"],
    tableWriteUnits: options["table-wcu"],
    tableReadUnits: options["table-rcu"],
  };
  if (options["shard-rate"]) {
    const rate = await sustainableShardRate({
      seed: options.seed,
      dynamo: { ...dynamo, tableWriteUnits: Math.max(dynamo.tableWriteUnits, DEFAULT_TABLE_WRITE_QUOTA) },
    });
    console.log(`sustainable purchases/s per shard under contention: ${rate.purchasesPerShardPerSecond.toFixed(1)}`);
    console.log(`write units per purchase (cancelled attempts included): ${rate.writeUnitsPerPurchase.toFixed(1)}`);
    console.log(
      `transactions per purchase: ${rate.attemptsPerPurchase.toFixed(1)} (conflicts ${(100 * rate.conflictShare).toFixed(1)}%, throttled ${(100 * rate.throttledShare).toFixed(1)}%)`,
    );
    console.log(`assumptions: ${rate.assumptions}`);
    return 0;
  }
  if (options.validate) {
    const validation = await validateAgainstDynamoLocal({
      port: options["dynamodb-port"],
      shoppers: 2_000,
      units: 500,
      shards: [1, 4],
      containers: 8,
      seed: options.seed,
      tolerance: 0.15,
    });
    console.log(
      `DynamoDB Local vs the simulator's 'local' rules: one engine serving one request at a time at the pace of the same 8 containers on DynamoDB Local over the same shards when stock cannot run out (the mean of a measure just before and just after the sale, each purchase one engine slot), no conflicts, no partition or table limits; load average ${loadAverage()}`,
    );
    console.log(
      "2,000 shoppers, 500 units, 8 containers   pace/s (range)   confirmed/s (Local | sim)   attempts/purchase (Local | sim)   verdict",
    );
    for (const row of validation.rows)
      console.log(
        `  ${row.shards} shard(s)`.padEnd(42) +
          `${row.calibration.enginePerSecond.toFixed(0)} (${(row.calibration.range ?? []).map((n) => n.toFixed(0)).join("-")})`.padEnd(
            22,
          ) +
          `${row.local.confirmedPerSecond.toFixed(0)} | ${row.simulated.confirmedPerSecond.toFixed(0)} (${(100 * row.rateGap).toFixed(1)}%)`.padEnd(
            28,
          ) +
          `${row.local.attemptsPerPurchase.toFixed(2)} | ${row.simulated.attemptsPerPurchase.toFixed(2)} (${(100 * row.attemptsGap).toFixed(1)}%)`.padEnd(
            34,
          ) +
          (row.agrees ? "AGREE (within 15%)" : "DISAGREE (over 15%)"),
      );
    return validation.rows.every((row) => row.agrees) ? 0 : 1;
  }
  const front = {
    ...FRONT_RULES,
    accountConcurrency: options.concurrency,
    coldStartMs: options["cold-start-ms"],
    stageRps: options["stage-rps"],
    stageBurst: options["stage-burst"],
  };
  console.log(
    `rules: ${dynamo.partitionWriteUnits} WCU/s per partition, table ${dynamo.tableWriteUnits} WCU/s and ${dynamo.tableReadUnits} RCU/s, conflict window ${dynamo.conflictWindowMs} ms, transaction ${dynamo.transactMs} ms; Lambda concurrency ${front.accountConcurrency}, +${front.scaleOutPer10s} per 10 s, cold start ${front.coldStartMs} ms; API stage ${front.stageRps}/s burst ${front.stageBurst}, account ${front.accountRps}/s burst ${front.accountBurst}; shoppers arrive over ${options["arrival-seconds"]} s, seed ${options.seed}`,
  );
  console.log(GRID_HEADER);
  await simulateGrid(
    {
      shoppers: options.shoppers,
      units: options.units,
      shards: options.shards,
      arrivalSeconds: options["arrival-seconds"],
      maxSeconds: options["max-seconds"],
      seed: options.seed,
      dynamo,
      front,
    },
    (row) => console.log(gridLine(row)),
  );
  return 0;
}
