import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatRow, runModel, TABLE_HEADER } from "../model/run-model";
import { resultsDir } from "../report/write";
import { helpText, parseOptions, requirePositive, UsageError, type OptionSpecs } from "./args";
import { newRunId } from "./run";

const MODEL_OPTIONS = {
  shards: { type: "string", default: "1,2,4,8,16", help: "shard counts to run, comma-separated" },
  rate: { type: "number", default: 200, help: "offered purchases per second (open loop), the same for every shard count" },
  seconds: { type: "number", default: 4, help: "seconds of load per shard count" },
  budget: { type: "number", default: 50, help: "write units per second per partition key (DynamoDB's 1,000 scaled down 20x)" },
  containers: { type: "number", default: 16, help: "shop instances sharing the load, like Lambda containers" },
  shoppers: { type: "number", default: 2000, help: "distinct shoppers (their order and limit items spread over their own partitions)" },
  conflicts: { type: "boolean", default: false, help: "also cancel transactions touching an item another in-flight transaction holds (TransactionConflict)" },
  "warmup-seconds": { type: "number", default: 4, help: "seconds of raw transactions to warm DynamoDB Local's JVM first" },
} satisfies OptionSpecs;

export async function modelCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, MODEL_OPTIONS);
  if (options.help) {
    console.log(helpText("npm run perf -- model [options]", "Hot-partition scale model. DynamoDB Local has no partitions, so a proxy in front of it charges each write to the partition keys it touches (1 unit per KB, 2 inside a transaction; failed conditions are charged too) against a per-partition budget, and answers over-budget writes with DynamoDB's real throttling errors. The same open-loop purchase load, through the real purchase engine, runs against each shard count.", MODEL_OPTIONS));
    return 0;
  }
  const shardCounts = options.shards.split(",").map((s) => Number(s.trim()));
  if (shardCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) throw new UsageError(`--shards must be whole numbers from 1 to 64, got '${options.shards}'`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`offered ${options.rate} purchases/s for ${options.seconds} s per shard count; budget ${options.budget} write units/s per partition => ${options.budget / 2} purchases/s per shard`);
  log(TABLE_HEADER);
  const result = await runModel(
    {
      shardCounts,
      rate: requirePositive("rate", options.rate),
      seconds: requirePositive("seconds", options.seconds),
      budget: requirePositive("budget", options.budget),
      containers: requirePositive("containers", options.containers),
      shoppers: requirePositive("shoppers", options.shoppers),
      conflicts: options.conflicts,
      warmupSeconds: options["warmup-seconds"],
    },
    log,
  );
  console.log(`\nhot-partition scale model: ${options.rate} purchases/s offered, ${options.budget} WCU/s per partition, DynamoDB Local alone ${result.engine.perSecond} tx/s`);
  console.log(TABLE_HEADER);
  for (const row of result.rows) console.log(formatRow(row));
  const one = result.rows.find((r) => r.shards === 1);
  if (one) console.log(`\n1 shard: ${one.successPerSecond} of ${one.offeredPerSecond} purchases/s succeed, ${(one.throttleRate * 100).toFixed(0)}% of writes throttled, ${one.tryAgain} shoppers told TRY_AGAIN: the hot-partition collapse.`);
  const scaling = result.rows.filter((r) => r.limitedBy === "partitions" && r.shards > 1);
  if (one && scaling.length) console.log(`sharded: ${scaling.map((r) => `${r.shards} shards ${(r.successPerSecond / Math.max(one.successPerSecond, 0.1)).toFixed(1)}x`).join(", ")} the 1-shard rate.`);
  for (const row of result.rows.filter((r) => r.limitedBy === "engine")) {
    console.log(`${row.shards} shards: ${row.successPerSecond}/s is below min(offered ${row.offeredPerSecond}, partition capacity ${row.partitionCapacityPerSecond}) with ${(row.throttleRate * 100).toFixed(1)}% throttled: DynamoDB Local itself (≈${result.engine.perSecond} tx/s alone, on this machine's shared cores) is the limit here, not the partitions.`);
  }
  for (const row of result.rows.filter((r) => !r.selfCheck.valid)) {
    console.log(`warning: the ${row.shards}-shard row was generator-bound, its numbers understate the system: ${row.selfCheck.reasons.join("; ")}`);
  }
  const dir = join(resultsDir(), `model-${newRunId()}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`results: ${join(dir, "model.json")}`);
  return 0;
}
