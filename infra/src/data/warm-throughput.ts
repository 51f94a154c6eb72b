/**
 * The guard that keeps a config change from replacing the table. DynamoDB never lowers a table's warm
 * throughput, so the AWS provider plans a lower value as a REPLACEMENT: a new, empty table, every function
 * repointed at it, the old one (orders, stock, limits) deleted. The program therefore never asks for less than
 * the table already has, and refuses a lowered `expectedPeakPurchasesPerSecond` with a message saying why.
 */
import { PROJECT } from "../config";

export interface WarmThroughput {
  writeUnitsPerSecond: number;
  readUnitsPerSecond: number;
}

/** What the last deployment of this stack left behind (its own stack outputs), absent on the first `pulumi up`. */
export interface DeployedTable {
  tableName?: string;
  /** The warm throughput that deployment asked for, and the peak it was planned from. */
  tableWarmThroughput?: WarmThroughput & { expectedPeakPurchasesPerSecond: number };
}

export class WarmThroughputLoweringError extends Error {}

/**
 * The warm throughput to give the table: the plan for the configured peak, raised to whatever the live table
 * already has (AWS raises it by itself after heavy traffic; a `pulumi refresh` then records the higher value,
 * and asking for less would plan a replacement). Throws when the configured peak plans less than the last
 * deployment asked for: that is a decrease made by hand, and it must not pass silently.
 */
export function warmThroughputToApply(args: {
  peak: number;
  plan: WarmThroughput;
  deployed: DeployedTable | undefined;
  live: WarmThroughput | undefined;
}): WarmThroughput {
  const before = args.deployed?.tableWarmThroughput;
  if (before && (args.plan.writeUnitsPerSecond < before.writeUnitsPerSecond || args.plan.readUnitsPerSecond < before.readUnitsPerSecond)) {
    throw new WarmThroughputLoweringError(
      `${PROJECT}:expectedPeakPurchasesPerSecond = ${args.peak} plans a warm throughput of ${describe(args.plan)}, below the ${describe(before)} ` +
        `this stack's table already has (planned for ${before.expectedPeakPurchasesPerSecond} purchases/s). DynamoDB cannot lower warm throughput: ` +
        `the AWS provider would REPLACE the table with a new, empty one, losing every order and all stock. Nothing was changed. ` +
        `Set it back with \`npx pulumi config set expectedPeakPurchasesPerSecond ${before.expectedPeakPurchasesPerSecond}\` ` +
        `(a warm table costs nothing more while idle; see infra/README.md, "Warm throughput only goes up").`,
    );
  }
  const live = args.live ?? { writeUnitsPerSecond: 0, readUnitsPerSecond: 0 };
  return {
    writeUnitsPerSecond: Math.max(args.plan.writeUnitsPerSecond, live.writeUnitsPerSecond),
    readUnitsPerSecond: Math.max(args.plan.readUnitsPerSecond, live.readUnitsPerSecond),
  };
}

function describe(value: WarmThroughput): string {
  return `${value.writeUnitsPerSecond} write / ${value.readUnitsPerSecond} read units/s`;
}
