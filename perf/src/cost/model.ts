import { PRICES } from "./prices";

/** What one request of a kind consumes; every figure per request. */
export interface RequestProfile {
  writeUnits: number;
  readUnits: number;
  lambdaMs: number;
}

export interface CostLine {
  service: string;
  usd: number;
}

export interface CostBreakdown {
  perMillion: number;
  lines: CostLine[];
}

export type Prices = {
  dynamodb: { writeRequestUnitPerMillion: number; readRequestUnitPerMillion: number };
  lambda: { arm64PerGbSecond: number; requestsPerMillion: number };
  apiGateway: { httpRequestsPerMillion: number };
};

/**
 * Cost of one million requests of one kind: one API Gateway HTTP API request, one Lambda invocation
 * (billed per ms at the configured memory), and the request's DynamoDB read and write units.
 */
export function costPerMillion(
  profile: RequestProfile,
  lambdaMemoryMb: number,
  prices: Prices = PRICES,
): CostBreakdown {
  const million = 1_000_000;
  const gbSeconds = (lambdaMemoryMb / 1024) * (Math.ceil(profile.lambdaMs) / 1000) * million;
  const lines: CostLine[] = [
    { service: "API Gateway HTTP API requests", usd: prices.apiGateway.httpRequestsPerMillion },
    { service: "Lambda requests", usd: prices.lambda.requestsPerMillion },
    {
      service: `Lambda duration (arm64, ${lambdaMemoryMb} MB × ${Math.ceil(profile.lambdaMs)} ms)`,
      usd: gbSeconds * prices.lambda.arm64PerGbSecond,
    },
    {
      service: `DynamoDB writes (${profile.writeUnits} WRU each)`,
      usd: profile.writeUnits * prices.dynamodb.writeRequestUnitPerMillion,
    },
    {
      service: `DynamoDB reads (${profile.readUnits} RRU each)`,
      usd: profile.readUnits * prices.dynamodb.readRequestUnitPerMillion,
    },
  ];
  return { perMillion: lines.reduce((sum, line) => sum + line.usd, 0), lines };
}

/**
 * Read units a sold-out rejection costs: none of its own, but each warm container re-reads the catalog
 * (one eventually consistent Query, 0.5 RRU per 4 KB) and the shards of products still on sale
 * (strongly consistent, 1 RRU each) about once a second, shared by the requests it serves meanwhile.
 * After the sell-out the product is flagged, so only the catalog Query remains.
 */
export function snapshotReadUnitsPerRequest(options: {
  catalogKb: number;
  shardsOnSale: number;
  requestsPerContainerSecond: number;
}): number {
  const perSnapshot = 0.5 * Math.max(1, Math.ceil(options.catalogKb / 4)) + options.shardsOnSale;
  return perSnapshot / Math.max(options.requestsPerContainerSecond, 1);
}
