import { PRICES } from "./prices";

/** What one request of a kind consumes; every figure per request. */
export interface RequestProfile {
  writeUnits: number;
  readUnits: number;
  lambdaMs: number;
  /** Bytes the answer carries back through CloudFront to the shopper (body and headers); with it, the CloudFront lines. */
  responseBytes?: number;
  /** Bytes CloudWatch Logs ingests for the request (the function's lines and Lambda's own); with it, the logs line. */
  logBytes?: number;
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
  cloudFront?: { httpsRequestsPer10k: number; transferPerGb: number };
  cloudWatchLogs?: { ingestionPerGb: number };
};

const GB = 1e9;

/**
 * Cost of one million requests of one kind: one API Gateway HTTP API request, one Lambda invocation
 * (billed per ms at the configured memory), and the request's DynamoDB read and write units; with a
 * response size, CloudFront's request and data out (every /api/* request passes it), and with a log size,
 * CloudWatch Logs ingestion.
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
  if (profile.responseBytes !== undefined && prices.cloudFront)
    lines.unshift(
      { service: "CloudFront HTTPS requests", usd: (million / 10_000) * prices.cloudFront.httpsRequestsPer10k },
      {
        service: `CloudFront data out (${profile.responseBytes} B each)`,
        usd: ((profile.responseBytes * million) / GB) * prices.cloudFront.transferPerGb,
      },
    );
  if (profile.logBytes !== undefined && prices.cloudWatchLogs)
    lines.push({
      service: `CloudWatch Logs ingestion (${profile.logBytes} B each)`,
      usd: ((profile.logBytes * million) / GB) * prices.cloudWatchLogs.ingestionPerGb,
    });
  return { perMillion: lines.reduce((sum, line) => sum + line.usd, 0), lines };
}

/**
 * Cognito's monthly active users behind a million purchases: `mausPerPurchase` shoppers signed in for each
 * one bought (1 when every buyer buys once a month and nobody else signs in; a sale with 10 shoppers per
 * unit has 10), billed by band above the free ones. Sign-ins are not billed of themselves.
 */
export function cognitoPerMillionPurchases(
  mausPerPurchase: number,
  plan: { freeMaus: number; bands: ReadonlyArray<{ upTo: number; usd: number }> },
): { maus: number; usd: number } {
  const maus = Math.round(mausPerPurchase * 1_000_000);
  let usd = 0;
  let from = plan.freeMaus;
  for (const band of plan.bands) {
    if (maus <= from) break;
    usd += (Math.min(maus, band.upTo) - from) * band.usd;
    from = band.upTo;
  }
  return { maus, usd };
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
