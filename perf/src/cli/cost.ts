import { LAMBDA_PLATFORM_BYTES, measuredPurchaseLogBytes } from "../cost/log-bytes";
import {
  cognitoPerMillionPurchases,
  costPerMillion,
  snapshotReadUnitsPerRequest,
  type CostBreakdown,
} from "../cost/model";
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
  "response-bytes": {
    type: "number",
    default: 800,
    min: 0,
    help: "bytes of a purchase's answer through CloudFront (the order JSON ~350 B and headers ~450 B; an assumption)",
  },
  "rejection-response-bytes": {
    type: "number",
    default: 600,
    min: 0,
    help: "bytes of a sold-out answer through CloudFront (an assumption)",
  },
  "maus-per-purchase": {
    type: "number",
    default: 1,
    min: 0,
    help: "Cognito monthly active users per purchase: 1 = each buyer signs in once a month and buys once, nobody else signs in; a sale with 10 shoppers per unit has 10",
  },
  "cognito-plan": {
    type: "string",
    choices: ["lite", "essentials"],
    default: "lite",
    help: "the user pool's feature plan (a new pool's default is essentials)",
  },
  json: { type: "boolean", default: false, help: "print JSON instead of a table" },
} satisfies OptionSpecs;

/** The goal for the request path of a purchase, all its lines included (issue 24). */
const PURCHASE_GOAL_USD = 4;

function print(title: string, cost: CostBreakdown): void {
  console.log(`${title}: $${cost.perMillion.toFixed(2)} per million`);
  for (const line of cost.lines) console.log(`  ${line.service.padEnd(60)} $${line.usd.toFixed(4)}`);
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
  // The function's own lines measured from its real log; Lambda's START/END/REPORT lines assumed.
  const logged = measuredPurchaseLogBytes();
  const purchaseLogBytes = logged.bytes + LAMBDA_PLATFORM_BYTES;
  const purchase = costPerMillion(
    {
      writeUnits: options["purchase-wcu"],
      readUnits: options["purchase-rcu"],
      lambdaMs: options["purchase-ms"],
      responseBytes: options["response-bytes"],
      logBytes: purchaseLogBytes,
    },
    memory,
  );
  const rejection = costPerMillion(
    {
      writeUnits: options["rejection-wcu"],
      readUnits: rejectionRcu,
      lambdaMs: options["rejection-ms"],
      responseBytes: options["rejection-response-bytes"],
      logBytes: purchaseLogBytes,
    },
    memory,
  );
  const plan = options["cognito-plan"];
  const cognito = cognitoPerMillionPurchases(options["maus-per-purchase"], {
    freeMaus: PRICES.cognito.freeMaus,
    bands:
      plan === "lite"
        ? PRICES.cognito.litePerMau
        : [{ upTo: Number.POSITIVE_INFINITY, usd: PRICES.cognito.essentialsPerMau }],
  });
  const withIdentity = purchase.perMillion + cognito.usd;
  if (options.json) {
    console.log(JSON.stringify({ prices: PRICES, purchase, rejection, cognito, withIdentity }, null, 2));
    return 0;
  }
  console.log(`prices: ${PRICES.region}, taken ${PRICES.takenOn} (sources and dates in perf/src/cost/prices.ts)`);
  console.log(
    `log per purchase: ${logged.bytes} B in ${logged.events} lines measured from the functions' own log (request line + EMF metrics, 26 B CloudWatch overhead each) + ${LAMBDA_PLATFORM_BYTES} B of Lambda's START/END/REPORT (assumed) = ${purchaseLogBytes} B`,
  );
  print("purchases (request path: CloudFront, API, Lambda, DynamoDB, logs)", purchase);
  console.log(
    `  ${`Cognito ${plan} MAUs (${options["maus-per-purchase"]} per purchase: ${cognito.maus.toLocaleString("en-US")} a month, ${PRICES.cognito.freeMaus.toLocaleString("en-US")} free)`.padEnd(60)} $${cognito.usd.toFixed(2)}`,
  );
  console.log(`purchases with Cognito: $${withIdentity.toFixed(2)} per million`);
  print("sold-out rejections (request path)", rejection);
  console.log(
    `a sold-out rejection costs ${((rejection.perMillion / purchase.perMillion) * 100).toFixed(0)}% of a purchase; most of it is the API Gateway and CloudFront requests.`,
  );
  const met = (usd: number) => (usd <= PURCHASE_GOAL_USD ? "MET" : "NOT MET");
  console.log(
    `goal ≤ $${PURCHASE_GOAL_USD} per million purchases, all lines included: ${met(withIdentity)} ($${withIdentity.toFixed(2)}); the request path alone: ${met(purchase.perMillion)} ($${purchase.perMillion.toFixed(2)})`,
  );
  // Where the request path's floor is: the lines no write path changes, and what the writes may cost on top.
  const fixed = purchase.lines
    .filter((line) => !line.service.startsWith("DynamoDB writes"))
    .reduce((sum, line) => sum + line.usd, 0);
  const wruPrice = PRICES.dynamodb.writeRequestUnitPerMillion;
  console.log(
    `  without its writes the request path costs $${fixed.toFixed(2)}; each transactional item costs 2 WRU = $${(2 * wruPrice).toFixed(2)} per million, so ${Math.max(0, Math.floor((PURCHASE_GOAL_USD - fixed) / (2 * wruPrice)))} item(s) would fit under $${PURCHASE_GOAL_USD}; a purchase writes ${options["purchase-wcu"] / 2} (shard, order, limit counter).`,
  );
  return 0;
}
