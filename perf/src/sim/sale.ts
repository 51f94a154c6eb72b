import type { Product } from "@flash-sale/services/contract";
import { PRICES } from "../cost/prices";
import { type Answer, Fleet, type FleetStats } from "./fleet";
import { LatencyCounts } from "./latency";
import { seededRandom } from "./random";
import type { DynamoRules, FrontRules } from "./rules";
import { SimTable, type TableStats } from "./sim-table";
import { VirtualTime } from "./virtual-time";

/**
 * The storefront's purchase retry rule (web/src/app/core/shop-api.ts and api-error.ts): at most 4 sends
 * with the same idempotency key, again only after 429/502/503/504, waiting Retry-After (capped at 5 s) or,
 * without one, a jittered backoff from 500 ms doubling.
 */
export const STOREFRONT = { attempts: 4, retryable: [429, 502, 503, 504], baseMs: 500, maxMs: 5_000 } as const;

export function storefrontRetryDelay(answer: Answer, attempt: number, random: () => number): number {
  if (answer.retryAfterSeconds && answer.retryAfterSeconds > 0)
    return Math.min(answer.retryAfterSeconds * 1_000, STOREFRONT.maxMs);
  const backoff = STOREFRONT.baseMs * 2 ** (attempt - 1);
  return Math.min(backoff / 2 + random() * (backoff / 2), STOREFRONT.maxMs);
}

export interface SaleScenario {
  shoppers: number;
  units: number;
  shards: number;
  /** Shoppers arrive at random (a Poisson process) over this many seconds from the opening. */
  arrivalSeconds: number;
  /** Virtual time after which the sale is cut short and reported as not sold out. */
  maxSeconds: number;
  seed: number;
  dynamo: DynamoRules;
  front: FrontRules;
  /** Virtual instants (s) at which to note the units sold so far (for steady rates). */
  probes?: number[];
}

export interface SaleResult {
  scenario: SaleScenario;
  soldUnits: number;
  soldOut: boolean;
  /**
   * From the opening to the last unit's confirmation (s). When the horizon came first: projected, the
   * units left at the rate of the horizon's second half (Infinity when nothing sold then).
   */
  sellOutSeconds: number;
  /** The sell-out time is a projection (see above), not simulated to the end. */
  projected: boolean;
  /** Units sold per second up to the sell-out; when projected, the rate of the horizon's second half. */
  confirmedPerSecond: number;
  /** Answers by kind, the aggregated shoppers' included. */
  answers: {
    confirmed: number;
    soldOut: number;
    tryAgain: number;
    throttled429: number;
    error500: number;
    other: number;
  };
  answerCount: number;
  tryAgainShare: number;
  p99Ms: number;
  /** Purchase transactions sent per unit sold (the validation's "attempts per purchase"). */
  attemptsPerPurchase: number;
  /** Every write unit the sale consumed (cancelled transactions, the sold-out flag) per unit sold. */
  writeUnitsPerPurchase: number;
  costUsd: number;
  /** Shoppers after the sell-out was flagged, counted as one fast-path SOLD_OUT answer each instead of simulated. */
  aggregatedShoppers: number;
  /** Shoppers who gave up after the storefront's last retry without buying. */
  gaveUp: number;
  /** Units sold by each of the scenario's probes. */
  soldAtProbes: number[];
  table: TableStats;
  fleet: FleetStats;
  wallMs: number;
}

const SKU = "sim-hot";
/** A sale cut short at its horizon is projected at the rate of its second half (after the fleet's scale-out). */
const TAIL_SHARE = 0.5;

/** One sale in virtual time: the real Shop in every Lambda environment over the simulated table. */
export async function simulateSale(scenario: SaleScenario): Promise<SaleResult> {
  const wallStart = performance.now();
  const time = new VirtualTime();
  const random = seededRandom(scenario.seed);
  const table = new SimTable(time, scenario.dynamo);
  table.load(product(scenario), split(scenario.units, scenario.shards));
  const fleet = new Fleet(time, table, scenario.front, random);
  const latency = new LatencyCounts();
  const answers = { confirmed: 0, soldOut: 0, tryAgain: 0, throttled429: 0, error500: 0, other: 0 };
  let gaveUp = 0;
  let arrived = 0;
  const soldOutLatency = { total: 0, count: 0, billedMs: 0 };
  const horizon = scenario.maxSeconds * 1_000;
  const soldOut = () => table.stats.confirmed >= scenario.units && table.isFlaggedSoldOut(SKU);

  const record = (answer: Answer, ms: number) => {
    latency.add(ms);
    count(answers, answer);
    if (answer.code === "SOLD_OUT") {
      soldOutLatency.total += ms;
      soldOutLatency.count++;
    }
  };
  // One send of a shopper's purchase, and what the storefront does with its answer. A request the gateway
  // or Lambda refuses is answered by plain callbacks (no promise), which keeps refused crowds cheap.
  const send = (index: number, attempt: number) => {
    const request = {
      shopper: `shopper-${index}`,
      sku: SKU,
      quantity: 1,
      idempotencyKey: `key-${String(index).padStart(8, "0")}`,
    };
    const sent = time.now;
    const after = (answer: Answer) => {
      record(answer, time.now - sent);
      if (!STOREFRONT.retryable.includes(answer.status as 429) || attempt >= STOREFRONT.attempts) {
        if (answer.code !== "CONFIRMED" && answer.code !== "SOLD_OUT") gaveUp++;
        return;
      }
      time.at(time.now + storefrontRetryDelay(answer, attempt, random), () => send(index, attempt + 1));
    };
    const admitted = fleet.admit();
    if ("refused" in admitted) {
      // Its answer arrives after the gateway's time; counted now, with that latency, and the retry (if any)
      // scheduled from that moment: one event per refused send instead of two.
      const { refused } = admitted;
      record(refused, scenario.front.gatewayMs);
      if (!STOREFRONT.retryable.includes(refused.status as 429) || attempt >= STOREFRONT.attempts) {
        gaveUp++;
        return;
      }
      const retryAt = time.now + scenario.front.gatewayMs + storefrontRetryDelay(refused, attempt, random);
      time.at(retryAt, () => send(index, attempt + 1));
      return;
    }
    void fleet.serve(admitted.shop, admitted.coldStartMs, request).then(after);
  };

  // Arrivals one after another (exponential gaps), so the event queue holds only shoppers under way.
  const meanGapMs = (scenario.arrivalSeconds * 1_000) / scenario.shoppers;
  const arrive = (at: number) =>
    time.at(
      at,
      () => {
        if (soldOut()) return; // the rest are counted below, not simulated
        send(arrived++, 1);
        if (arrived < scenario.shoppers) arrive(time.now - meanGapMs * Math.log(1 - random()));
      },
      true,
    );
  arrive(0);
  const soldAtProbes: number[] = [];
  for (const [i, probe] of (scenario.probes ?? []).entries())
    time.at(probe * 1_000, () => {
      soldAtProbes[i] = table.stats.confirmed;
    });
  const tailFrom = horizon * (1 - TAIL_SHARE);
  let soldAtTail = 0;
  time.at(tailFrom, () => {
    soldAtTail = table.stats.confirmed;
  });
  await time.run(() => time.now > horizon);

  const soldUnits = table.stats.confirmed;
  const sold = soldUnits >= scenario.units;
  const aggregatedShoppers = sold ? scenario.shoppers - arrived : 0;
  if (aggregatedShoppers > 0) {
    const ms = soldOutLatency.count > 0 ? soldOutLatency.total / soldOutLatency.count : scenario.front.gatewayMs;
    latency.add(ms, aggregatedShoppers);
    answers.soldOut += aggregatedShoppers;
    // Each: one request through API Gateway and Lambda and one GetItem (the replay check), as simulated ones.
    fleet.stats.invocations += aggregatedShoppers;
    fleet.stats.billedMs += aggregatedShoppers * Math.max(0, ms - scenario.front.gatewayMs);
    table.stats.readUnits += aggregatedShoppers;
  }
  // Not sold out: either the horizon came first (project from its last 10 s) or every shopper left.
  const cutShort = !sold && time.now > horizon;
  const tailRate = ((table.stats.confirmed - soldAtTail) * 1_000) / (horizon - tailFrom);
  const sellOutSeconds = sold
    ? table.stats.lastConfirmedAt / 1_000
    : cutShort && tailRate > 0
      ? horizon / 1_000 + (scenario.units - soldUnits) / tailRate
      : Number.POSITIVE_INFINITY;
  const answerCount = Object.values(answers).reduce((sum, n) => sum + n, 0);
  return {
    scenario,
    soldUnits,
    soldOut: sold,
    sellOutSeconds,
    projected: !sold,
    confirmedPerSecond: sold ? soldUnits / Math.max(sellOutSeconds, 0.001) : cutShort ? tailRate : 0,
    answers,
    answerCount,
    tryAgainShare: answerCount > 0 ? answers.tryAgain / answerCount : 0,
    p99Ms: latency.percentile(99),
    attemptsPerPurchase: soldUnits > 0 ? table.stats.transactions / soldUnits : 0,
    writeUnitsPerPurchase: soldUnits > 0 ? table.stats.writeUnits / soldUnits : 0,
    costUsd: cost(table.stats, fleet.stats, scenario.front.memoryMb),
    aggregatedShoppers,
    gaveUp,
    soldAtProbes,
    table: table.stats,
    fleet: fleet.stats,
    wallMs: performance.now() - wallStart,
  };
}

function count(answers: SaleResult["answers"], answer: Answer): void {
  if (answer.code === "CONFIRMED") answers.confirmed++;
  else if (answer.code === "SOLD_OUT" || answer.code === "INSUFFICIENT_STOCK") answers.soldOut++;
  else if (answer.code === "TRY_AGAIN") answers.tryAgain++;
  else if (answer.status === 429) answers.throttled429++;
  else if (answer.status === 500) answers.error500++;
  else answers.other++;
}

/** The sale's AWS bill at the list prices in cost/prices.ts: DynamoDB on demand, Lambda arm64, API Gateway HTTP API. */
function cost(table: TableStats, fleet: FleetStats, memoryMb: number): number {
  const { dynamodb, lambda, apiGateway } = PRICES;
  return (
    (table.writeUnits / 1e6) * dynamodb.writeRequestUnitPerMillion +
    (table.readUnits / 1e6) * dynamodb.readRequestUnitPerMillion +
    (fleet.invocations / 1e6) * (lambda.requestsPerMillion + apiGateway.httpRequestsPerMillion) +
    (fleet.billedMs / 1_000) * (memoryMb / 1_024) * lambda.arm64PerGbSecond
  );
}

function product(scenario: SaleScenario): Product {
  return {
    sku: SKU,
    name: "Simulated hot item",
    description: "",
    imageUrl: "",
    priceCents: 1_000,
    currency: "USD",
    saleStartsAt: new Date(0).toISOString(),
    saleEndsAt: new Date(24 * 3_600_000).toISOString(),
    perCustomerLimit: 1,
    shardCount: scenario.shards,
    loadedUnits: scenario.units,
    soldOut: false,
    waitingRoom: false,
    checkout: "instant",
    holdSeconds: 300,
  };
}

/** Units spread as evenly as whole numbers allow, as `stock load` spreads them. */
export function split(units: number, shards: number): number[] {
  return Array.from({ length: shards }, (_, shard) => Math.floor(units / shards) + (shard < units % shards ? 1 : 0));
}
