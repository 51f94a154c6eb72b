import { PURCHASES_PER_SHARD_PER_SECOND } from "@flash-sale/services/domain";
import { PRICES } from "../cost/prices";
import { API_GATEWAY_DEFAULT_QUOTA_PER_SECOND, waitingRoomLoad } from "../cost/waiting-room-load";
import { helpText, parseOptions, type OptionSpecs } from "@flash-sale/services/cli";

export const WAITING_ROOM_COST_OPTIONS = {
  joiners: { type: "number", positive: true, default: 1_000_000, help: "shoppers who join the line" },
  "join-minutes": {
    type: "number",
    positive: true,
    default: 10,
    help: "they join evenly over this many minutes before the opening",
  },
  shards: {
    type: "number",
    positive: true,
    default: 4,
    help: "stock shards (the default admission rate is shards x 250/s)",
  },
  rate: { type: "number", default: 0, help: "admission rate, shoppers/s (0 = the default from the shards)" },
  "lambda-ms": {
    type: "number",
    default: 10,
    help: "billed duration of one join or poll invocation (ms, an assumption: not measured in AWS)",
  },
  "lambda-gb": { type: "number", default: 1, help: "function memory (GB; the stack's default lambdaMemoryMb is 1024)" },
} satisfies OptionSpecs;

/** Write request units of a first join: the shopper's join item (1) and one counter item (1); later joiners also get their place (1). */
const EARLY_JOIN_WRITE_UNITS = 2;

/**
 * `npm run perf -- waiting-room-cost`: the waiting room's requests (peak beside API Gateway's default
 * quota), write units, Lambda invocations and cost per million joiners, by walking every joiner through
 * the storefront's own asks against the API's own answers (../cost/waiting-room-load.ts). Arithmetic,
 * not a measurement.
 */
export async function waitingRoomCostCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, WAITING_ROOM_COST_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- waiting-room-cost [options]",
        "Requests/s (the peak beside API Gateway's default quota of 10,000/s), write units, Lambda invocations and cost of a waiting room per million joiners, from the storefront's own asks (services/src/domain/line-asks.ts), the API's answers and AWS list prices (perf/src/cost/prices.ts).",
        WAITING_ROOM_COST_OPTIONS,
      ),
    );
    return 0;
  }
  const joiners = options.joiners;
  const joinSeconds = options["join-minutes"] * 60;
  const rate = options.rate > 0 ? options.rate : options.shards * PURCHASES_PER_SHARD_PER_SECOND;
  const load = waitingRoomLoad({ joiners, joinSeconds, rate });
  const totalRequests = load.requests;
  const quota = API_GATEWAY_DEFAULT_QUOTA_PER_SECOND;
  const writeUnits = joiners * EARLY_JOIN_WRITE_UNITS;
  const readUnits = joiners; // the join's consistent GetItem of the shopper's own item; asks with the ticket read nothing
  const gbSeconds = totalRequests * (options["lambda-ms"] / 1000) * options["lambda-gb"];
  const cost = {
    apiGateway: (totalRequests / 1e6) * PRICES.apiGateway.httpRequestsPerMillion,
    lambdaRequests: (totalRequests / 1e6) * PRICES.lambda.requestsPerMillion,
    lambdaDuration: gbSeconds * PRICES.lambda.arm64PerGbSecond,
    dynamodbWrites: (writeUnits / 1e6) * PRICES.dynamodb.writeRequestUnitPerMillion,
    dynamodbReads: (readUnits / 1e6) * PRICES.dynamodb.readRequestUnitPerMillion,
  };
  const total = Object.values(cost).reduce((sum, value) => sum + value, 0);
  const perMillion = (value: number) => (value / joiners) * 1e6;
  const money = (value: number) => `$${perMillion(value).toFixed(2)}`;
  console.log(
    [
      `${joiners.toLocaleString("en-US")} joiners over the ${joinSeconds / 60} min before the opening, admitted at ${rate.toLocaleString("en-US")}/s: the line is through ${Math.round(load.lineSeconds)} s after the opening`,
      `  requests (joins + the storefront's asks): ${Math.round(totalRequests).toLocaleString("en-US")} = ${(totalRequests / joiners).toFixed(1)} per joiner; each one Lambda invocation`,
      `  peak ${Math.round(load.peak).toLocaleString("en-US")} requests/s (before the opening ${Math.round(load.peakBeforeOpening).toLocaleString("en-US")}/s, after it ${Math.round(load.peakAfterOpening).toLocaleString("en-US")}/s) against API Gateway's default quota of ${quota.toLocaleString("en-US")}/s per account and Region: ${load.peak <= quota ? `within it (${Math.round((load.peak / quota) * 100)}%)` : `OVER it by ${Math.round(load.peak - quota).toLocaleString("en-US")}/s: raise the quota before the sale or admit at a lower --rate`}`,
      `  on top: the admitted shoppers' purchases (at most the admission rate, ${rate.toLocaleString("en-US")}/s, while stock lasts) and every other API of the account share that quota`,
      `  DynamoDB: ${writeUnits.toLocaleString("en-US")} write units (${EARLY_JOIN_WRITE_UNITS} per join: own item + one of 16 counters; later asks write nothing), ${readUnits.toLocaleString("en-US")} read units (1 per join; later asks, with the ticket, read nothing)`,
      `  hottest item: one join counter, ${Math.round(joiners / joinSeconds / 16).toLocaleString("en-US")} writes/s (limit 1,000/s per partition); the shoppers' items: 1 write each`,
      `  cost per million joiners (${PRICES.region}, list prices of ${PRICES.takenOn}): API Gateway ${money(cost.apiGateway)}, Lambda requests ${money(cost.lambdaRequests)}, Lambda duration ${money(cost.lambdaDuration)} (${options["lambda-ms"]} ms x ${options["lambda-gb"]} GB assumed), DynamoDB writes ${money(cost.dynamodbWrites)}, reads ${money(cost.dynamodbReads)}: total ${money(total)}`,
      `  between sales: $0 (no resource runs or bills while idle but the table's storage and the key in the stack's state)`,
    ].join("\n"),
  );
  return 0;
}
