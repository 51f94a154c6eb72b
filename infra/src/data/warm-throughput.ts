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

export interface WarmThroughputDecision {
  /** What the table is given: never less than the live table or the last deployment asked for. */
  value: WarmThroughput;
  /** Why the configured peak is refused (it plans less than the last deployment); the program reports it as an error. */
  refusal?: string;
}

/**
 * The warm throughput to give the table: the plan for the configured peak, raised to whatever the live table
 * already has (AWS raises it by itself after heavy traffic; a `pulumi refresh` then records the higher value,
 * and asking for less would plan a replacement) and to what the last deployment asked for. A configured peak
 * that plans less than the last deployment is a decrease made by hand: refused, with the reason.
 */
export function warmThroughputToApply(args: {
  peak: number;
  plan: WarmThroughput;
  deployed: DeployedTable | undefined;
  live: WarmThroughput | undefined;
}): WarmThroughputDecision {
  const floors = [args.plan, args.deployed?.tableWarmThroughput, args.live].filter(
    (value): value is WarmThroughput => value !== undefined,
  );
  const value = {
    writeUnitsPerSecond: Math.max(...floors.map((floor) => floor.writeUnitsPerSecond)),
    readUnitsPerSecond: Math.max(...floors.map((floor) => floor.readUnitsPerSecond)),
  };
  const before = args.deployed?.tableWarmThroughput;
  if (
    before &&
    (args.plan.writeUnitsPerSecond < before.writeUnitsPerSecond ||
      args.plan.readUnitsPerSecond < before.readUnitsPerSecond)
  ) {
    return {
      value,
      refusal:
        `${PROJECT}:expectedPeakPurchasesPerSecond = ${args.peak} plans a warm throughput of ${describe(args.plan)}, below the ${describe(before)} ` +
        `this stack's table already has (planned for ${before.expectedPeakPurchasesPerSecond} purchases/s). DynamoDB cannot lower warm throughput: ` +
        `the AWS provider would REPLACE the table with a new, empty one, losing every order and all stock. The table keeps ${describe(value)} and this update fails. ` +
        `Set the peak back with \`npx pulumi config set expectedPeakPurchasesPerSecond ${before.expectedPeakPurchasesPerSecond}\` ` +
        `(a warm table costs nothing more while idle; see infra/README.md, "Warm throughput only goes up").`,
    };
  }
  return { value };
}

function describe(value: WarmThroughput): string {
  return `${value.writeUnitsPerSecond} write / ${value.readUnitsPerSecond} read units/s`;
}
