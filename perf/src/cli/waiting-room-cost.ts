import { PURCHASES_PER_SHARD_PER_SECOND, retryAfterSeconds } from "@flash-sale/services/domain";
import { PRICES } from "../cost/prices";
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
 * `npm run perf -- waiting-room-cost`: the waiting room's requests, write units, Lambda invocations and
 * cost per million joiners, by walking every joiner through the poll policy the API actually uses
 * (services/src/domain/admission.ts retryAfterSeconds). Arithmetic, not a measurement.
 */
export async function waitingRoomCostCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, WAITING_ROOM_COST_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- waiting-room-cost [options]",
        "Requests/s, write units, Lambda invocations and cost of a waiting room per million joiners, from the API's own poll policy and AWS list prices (perf/src/cost/prices.ts).",
        WAITING_ROOM_COST_OPTIONS,
      ),
    );
    return 0;
  }
  const joiners = options.joiners;
  const joinSeconds = options["join-minutes"] * 60;
  const rate = options.rate > 0 ? options.rate : options.shards * PURCHASES_PER_SHARD_PER_SECOND;
  const perSecond = new Map<number, number>();
  const count = (at: number) => perSecond.set(Math.floor(at), (perSecond.get(Math.floor(at)) ?? 0) + 1);
  let requests = 0;
  // Time 0 is the opening. Joiner i joins at -joinSeconds + i/joiners*joinSeconds; their place is random
  // among the early joiners, so their turn is at (place / rate), place uniform in [0, joiners).
  const sample = Math.min(joiners, 200_000);
  const scale = joiners / sample;
  for (let i = 0; i < sample; i++) {
    const joinAt = -joinSeconds + (i / sample) * joinSeconds;
    const turn = (((i * 2_654_435_761) % sample) / sample) * (joiners / rate);
    let at = joinAt;
    count(at);
    requests++;
    while (at < turn) {
      at += retryAfterSeconds((turn - at) * 1000);
      count(at);
      requests++;
    }
  }
  const totalRequests = requests * scale;
  const peak = Math.max(...perSecond.values()) * scale;
  const peakAfterOpening = Math.max(...[...perSecond].filter(([second]) => second >= 0).map(([, n]) => n)) * scale;
  const writeUnits = joiners * EARLY_JOIN_WRITE_UNITS;
  const readUnits = joiners; // the join's consistent GetItem of the shopper's own item; polls read nothing
  const lineSeconds = joiners / rate;
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
      `${joiners.toLocaleString("en-US")} joiners over the ${joinSeconds / 60} min before the opening, admitted at ${rate.toLocaleString("en-US")}/s: the line is through ${Math.round(lineSeconds)} s after the opening`,
      `  requests (joins + polls): ${Math.round(totalRequests).toLocaleString("en-US")} = ${(totalRequests / joiners).toFixed(1)} per joiner; peak ${Math.round(peak).toLocaleString("en-US")}/s (after the opening: ${Math.round(peakAfterOpening).toLocaleString("en-US")}/s); each one Lambda invocation`,
      `  DynamoDB: ${writeUnits.toLocaleString("en-US")} write units (${EARLY_JOIN_WRITE_UNITS} per join: own item + one of 16 counters; polls write nothing), ${readUnits.toLocaleString("en-US")} read units (1 per join; polls read nothing)`,
      `  hottest item: one join counter, ${Math.round(joiners / joinSeconds / 16).toLocaleString("en-US")} writes/s (limit 1,000/s per partition); the shoppers' items: 1 write each`,
      `  cost per million joiners (${PRICES.region}, list prices of ${PRICES.takenOn}): API Gateway ${money(cost.apiGateway)}, Lambda requests ${money(cost.lambdaRequests)}, Lambda duration ${money(cost.lambdaDuration)} (${options["lambda-ms"]} ms x ${options["lambda-gb"]} GB assumed), DynamoDB writes ${money(cost.dynamodbWrites)}, reads ${money(cost.dynamodbReads)}: total ${money(total)}`,
      `  between sales: $0 (no resource runs or bills while idle but the table's storage and the key in the stack's state)`,
    ].join("\n"),
  );
  return 0;
}
