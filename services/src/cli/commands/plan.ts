import {
  DEFAULT_TABLE_WRITE_QUOTA,
  planCapacity,
  SIMULATED_PURCHASES_PER_SHARD_PER_SECOND,
  SIMULATED_WRITE_UNITS_PER_PURCHASE,
  WRITE_UNITS_PER_PURCHASE,
} from "../../domain/capacity";
import { parseOptions } from "../kit";
import { TARGET_OPTIONS } from "../target";
import type { StockCommand } from "./command";

const OPTIONS = {
  peak: { type: "number", whole: true, min: 1, max: 10_000_000, required: true, help: "purchases/s at the peak" },
  json: { type: "boolean", default: false, help: "print JSON" },
  ...TARGET_OPTIONS,
} as const;

export const plan: StockCommand = {
  help: `Usage: npm run stock -- plan --peak <purchases/s> [--json]

Shards per hot product and table warm throughput for a peak purchase rate, from the rate one shard
sustains under contention (${SIMULATED_PURCHASES_PER_SHARD_PER_SECOND} purchases/s), as \`npm run perf -- simulate --shard-rate\` finds it (assumptions in
services/src/domain/capacity.ts), and ${WRITE_UNITS_PER_PURCHASE} write units per purchase. Needs no table.`,
  async run(argv) {
    const options = parseOptions(argv, OPTIONS);
    const plan = planCapacity(options.peak);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      return;
    }
    process.stdout.write(`For a peak of ${plan.peakPurchasesPerSecond} purchases/s:
  shards per hot product        ${plan.shards}   (${plan.purchasesPerShardPerSecond} purchases/s each: the simulated rate under contention, not 1,000 WCU/s arithmetic)
  table warm throughput (write) ${plan.tableWriteUnitsPerSecond} WCU/s   (${WRITE_UNITS_PER_PURCHASE} WCU per purchase, +50% headroom, at least the 4,000 a new table has)
  ! with every shard saturated the simulator finds ${SIMULATED_WRITE_UNITS_PER_PURCHASE} WCU per purchase (cancelled attempts billed): up to ${plan.shards * plan.purchasesPerShardPerSecond * SIMULATED_WRITE_UNITS_PER_PURCHASE} WCU/s
  table warm throughput (read)  ${plan.tableReadUnitsPerSecond} RCU/s
Set shardCount in the catalog file (or \`reshard\`), and expectedPeakPurchasesPerSecond in the Pulumi stack config.\n`);
    if (plan.tableWriteUnitsPerSecond > DEFAULT_TABLE_WRITE_QUOTA) {
      process.stdout.write(
        `! ${plan.tableWriteUnitsPerSecond} WCU/s is above DynamoDB's default table quota of ${DEFAULT_TABLE_WRITE_QUOTA} WCU/s: request a quota increase before the sale.\n`,
      );
    }
  },
};
