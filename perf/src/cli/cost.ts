import { costPerMillion, snapshotReadUnitsPerRequest, type CostBreakdown } from "../cost/model";
import { PRICES } from "../cost/prices";
import { WRITE_UNITS_PER_PURCHASE } from "@flash-sale/services/contract";
import { helpText, parseOptions, type OptionSpecs } from "@flash-sale/services/cli";

const COST_OPTIONS = {
  "purchase-wcu": {
    type: "number",
    default: WRITE_UNITS_PER_PURCHASE,
    help: "write units per confirmed purchase (services capacity.ts; `model` prints the measured WCU/purchase)",
  },
  "purchase-rcu": { type: "number", default: 0, help: "read units per purchase beyond the shared snapshot" },
  "purchase-ms": { type: "number", default: 30, help: "Lambda billed duration of a purchase (ms)" },
  "rejection-wcu": { type: "number", default: 0, help: "write units per sold-out rejection (the design promises 0)" },
  "rejection-ms": { type: "number", default: 5, help: "Lambda billed duration of a sold-out rejection (ms)" },
  "catalog-kb": { type: "number", default: 4, help: "catalog size read by each snapshot Query (KB)" },
  "container-rps": {
    type: "number",
    default: 100,
    help: "requests one warm container serves per second (shares its ~1/s snapshot)",
  },
  "memory-mb": { type: "number", default: 1024, help: "Lambda memory (MB)" },
  json: { type: "boolean", default: false, help: "print JSON instead of a table" },
} satisfies OptionSpecs;

function print(title: string, cost: CostBreakdown): void {
  console.log(`${title}: $${cost.perMillion.toFixed(2)} per million`);
  for (const line of cost.lines) console.log(`  ${line.service.padEnd(52)} $${line.usd.toFixed(4)}`);
}

/** Measured by services/local/bench/purchase-bench.ts: 1.00 GetItem per sold-out rejection. */
const REPLAY_CHECK_READ_UNITS = 1;

export async function costCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, COST_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- cost [options]",
        `AWS cost per million purchases and per million sold-out rejections, at the list prices in perf/src/cost/prices.ts (${PRICES.region}, taken ${PRICES.takenOn}).`,
        COST_OPTIONS,
      ),
    );
    return 0;
  }
  const memory = options["memory-mb"];
  // Plus the replay check: one strongly consistent GetItem of the shopper's order under the key
  // (1 RRU), so a retry of a purchase that did succeed gets its order, not SOLD_OUT (npm run bench).
  const rejectionRcu =
    REPLAY_CHECK_READ_UNITS +
    snapshotReadUnitsPerRequest({
      catalogKb: options["catalog-kb"],
      shardsOnSale: 0,
      requestsPerContainerSecond: options["container-rps"],
    });
  const purchase = costPerMillion(
    { writeUnits: options["purchase-wcu"], readUnits: options["purchase-rcu"], lambdaMs: options["purchase-ms"] },
    memory,
  );
  const rejection = costPerMillion(
    { writeUnits: options["rejection-wcu"], readUnits: rejectionRcu, lambdaMs: options["rejection-ms"] },
    memory,
  );
  if (options.json) {
    console.log(JSON.stringify({ prices: PRICES, purchase, rejection }, null, 2));
    return 0;
  }
  console.log(`prices: ${PRICES.region}, taken ${PRICES.takenOn} (sources in perf/src/cost/prices.ts)`);
  print("purchases", purchase);
  print("sold-out rejections", rejection);
  console.log(
    `a sold-out rejection costs ${((rejection.perMillion / purchase.perMillion) * 100).toFixed(0)}% of a purchase; most of it is the API Gateway request.`,
  );
  return 0;
}
