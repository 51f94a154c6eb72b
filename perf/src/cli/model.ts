import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatModelReport } from "../model/model-report";
import { partitionCapacity, runModel, TABLE_HEADER } from "../model/run-model";
import { loadLine } from "../report/machine";
import { resultsDir } from "../report/write";
import { helpText, parseOptions, type OptionSpecs } from "@flash-sale/services/cli";
import { newRunId } from "../run/options";

const MODEL_OPTIONS = {
  shards: {
    type: "number",
    list: true,
    whole: true,
    min: 1,
    max: 64,
    default: "1,2,4,8,16,32",
    help: "shard counts to run, comma-separated (a row whose partitions would need more than --engine-share of DynamoDB Local's measured speed is skipped, with the reason)",
  },
  rate: {
    type: "number",
    positive: true,
    default: 150,
    help: "offered purchases per second (open loop), the same for every shard count: above every row's partition capacity, so each row shows what its partitions allow",
  },
  seconds: { type: "number", positive: true, default: 4, help: "seconds of load per shard count" },
  budget: {
    type: "number",
    positive: true,
    default: 6,
    help: "write units per second per partition key (DynamoDB's 1,000 scaled down ~167x: 3 purchases/s per shard, so 16 shards need 48/s, well under DynamoDB Local's speed on 2 shared cores)",
  },
  containers: {
    type: "number",
    positive: true,
    default: 16,
    help: "shop instances sharing the load, like Lambda containers",
  },
  shoppers: {
    type: "number",
    positive: true,
    default: 2000,
    help: "distinct shoppers (their order and limit items spread over their own partitions)",
  },
  conflicts: {
    type: "boolean",
    default: false,
    help: "also cancel transactions touching an item another in-flight transaction holds (TransactionConflict)",
  },
  "warmup-seconds": {
    type: "number",
    default: 30,
    help: "longest warm-up of DynamoDB Local's JVM before the rows (it stops once two 2 s slices agree within 5%)",
  },
  "engine-share": {
    type: "number",
    positive: true,
    default: 0.4,
    help: "largest share of DynamoDB Local's warm speed (measured before the rows) a row's partition capacity may need; rows above it are skipped",
  },
} satisfies OptionSpecs;

export async function modelCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, MODEL_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- model [options]",
        "Hot-partition scale model. DynamoDB Local has no partitions, so a proxy in front of it charges each write to the partition keys it touches (1 unit per KB, 2 inside a transaction; failed conditions are charged too) against a per-partition token bucket that starts empty, and answers over-budget writes with DynamoDB's real throttling errors. The same open-loop purchase load, through the real purchase engine, runs against each shard count on a warmed engine; the AWS arithmetic for the same shard counts is printed beside the measured rows.",
        MODEL_OPTIONS,
      ),
    );
    return 0;
  }
  const shardCounts = options.shards;
  const share = options["engine-share"];
  const budget = options.budget;
  const rate = options.rate;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const largest = Math.max(...shardCounts);
  log(
    `offered ${rate} purchases/s for ${options.seconds} s per shard count; budget ${budget} write units/s per partition, buckets starting empty => ${budget / 2} purchases/s per shard; ${loadLine()}`,
  );
  if (partitionCapacity(largest, budget) >= rate)
    log(
      `note: ${largest} shards allow ${partitionCapacity(largest, budget)} purchases/s, not below the offered ${rate}/s: that row shows the offered load, not its partitions (raise --rate)`,
    );
  log(TABLE_HEADER);
  const result = await runModel(
    {
      shardCounts,
      rate,
      seconds: options.seconds,
      budget,
      containers: options.containers,
      shoppers: options.shoppers,
      conflicts: options.conflicts,
      warmupSeconds: options["warmup-seconds"],
      engineShare: share,
    },
    log,
  );
  console.log(formatModelReport(result));
  const dir = join(resultsDir(), `model-${newRunId()}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`results: ${join(dir, "model.json")}`);
  return 0;
}
