import type { Prices } from "./model";
import { snapshotReadUnitsPerRequest } from "./model";

/** What the shoppers watching a sale (before anyone buys) ask of the platform. */
export interface WatchingInputs {
  shoppers: number;
  /** Every open tab polls this often (s). */
  pollSeconds: number;
  /** Seconds over which the watchers arrive, each reading the signed-in listing once (the new read path). */
  arrivalSeconds: number;
  /** Seconds CloudFront keeps the feed (its max-age). */
  edgeTtlSeconds: number;
  /** Warm Lambda billed duration per listing / feed call (ms). */
  listingMs: number;
  feedMs: number;
  lambdaMemoryMb: number;
  /** Requests one warm container serves per second: containers = request rate / this. */
  containerRps: number;
  catalogKb: number;
  /** Stock shards of the products still on sale: each snapshot reads them strongly consistently. */
  shardsOnSale: number;
  /** Size of one listing / feed response as sent to the viewer (bytes). */
  listingBytes: number;
  feedBytes: number;
}

/** One read path's load and its hourly cost. */
export interface WatchingLoad {
  apiRequestsPerSecond: number;
  lambdaInvocationsPerSecond: number;
  dynamoReadUnitsPerSecond: number;
  cloudFrontRequestsPerSecond: number;
  usdPerHour: { apiGateway: number; lambda: number; dynamodb: number; cloudFront: number; total: number };
}

export type CloudFrontPrices = { httpsRequestsPer10k: number; transferPerGb: number };

const HOUR = 3_600;

function hourly(
  load: Omit<WatchingLoad, "usdPerHour">,
  lambdaGbSecondsPerSecond: number,
  transferGbPerSecond: number,
  prices: Prices,
  cloudFront: CloudFrontPrices,
): WatchingLoad {
  const apiGateway = ((load.apiRequestsPerSecond * HOUR) / 1e6) * prices.apiGateway.httpRequestsPerMillion;
  const lambda =
    ((load.lambdaInvocationsPerSecond * HOUR) / 1e6) * prices.lambda.requestsPerMillion +
    lambdaGbSecondsPerSecond * HOUR * prices.lambda.arm64PerGbSecond;
  const dynamodb = ((load.dynamoReadUnitsPerSecond * HOUR) / 1e6) * prices.dynamodb.readRequestUnitPerMillion;
  const edge =
    ((load.cloudFrontRequestsPerSecond * HOUR) / 1e4) * cloudFront.httpsRequestsPer10k +
    transferGbPerSecond * HOUR * cloudFront.transferPerGb;
  return {
    ...load,
    usdPerHour: { apiGateway, lambda, dynamodb, cloudFront: edge, total: apiGateway + lambda + dynamodb + edge },
  };
}

/** Snapshot reads of the containers serving `rps` requests/s: each reads its snapshot about once a second. */
function snapshotReadUnitsPerSecond(rps: number, inputs: WatchingInputs): number {
  if (rps <= 0) return 0;
  const containers = Math.max(1, Math.ceil(rps / inputs.containerRps));
  return (
    snapshotReadUnitsPerRequest({
      catalogKb: inputs.catalogKb,
      shardsOnSale: inputs.shardsOnSale,
      requestsPerContainerSecond: 1,
    }) * containers
  );
}

const gbSeconds = (rps: number, ms: number, memoryMb: number) => rps * (Math.ceil(ms) / 1000) * (memoryMb / 1024);

/**
 * Before: every tab polls the signed-in GET /products through CloudFront's uncached /api/*: each poll is a
 * CloudFront request, an API request and a Lambda call.
 */
export function pollingTheListing(inputs: WatchingInputs, prices: Prices, cloudFront: CloudFrontPrices): WatchingLoad {
  const rps = inputs.shoppers / inputs.pollSeconds;
  return hourly(
    {
      apiRequestsPerSecond: rps,
      lambdaInvocationsPerSecond: rps,
      dynamoReadUnitsPerSecond: snapshotReadUnitsPerSecond(rps, inputs),
      cloudFrontRequestsPerSecond: rps,
    },
    gbSeconds(rps, inputs.listingMs, inputs.lambdaMemoryMb),
    (rps * inputs.listingBytes) / 1e9,
    prices,
    cloudFront,
  );
}

/**
 * After: each watcher reads the listing once as it arrives, then polls GET /availability through CloudFront.
 * Behind an Origin Shield, every edge's misses meet in one regional cache, so the API sees about one feed
 * request per edge TTL, however many watch.
 */
export function pollingTheEdge(inputs: WatchingInputs, prices: Prices, cloudFront: CloudFrontPrices): WatchingLoad {
  const viewerRps = inputs.shoppers / inputs.pollSeconds;
  const listingRps = inputs.shoppers / inputs.arrivalSeconds;
  const feedOriginRps = 1 / inputs.edgeTtlSeconds;
  const originRps = listingRps + feedOriginRps;
  return hourly(
    {
      apiRequestsPerSecond: originRps,
      lambdaInvocationsPerSecond: originRps,
      dynamoReadUnitsPerSecond:
        snapshotReadUnitsPerSecond(listingRps, inputs) + snapshotReadUnitsPerSecond(feedOriginRps, inputs),
      // Viewers' polls plus the listing calls, which pass through the same distribution uncached.
      cloudFrontRequestsPerSecond: viewerRps + listingRps,
    },
    gbSeconds(listingRps, inputs.listingMs, inputs.lambdaMemoryMb) +
      gbSeconds(feedOriginRps, inputs.feedMs, inputs.lambdaMemoryMb),
    (viewerRps * inputs.feedBytes + listingRps * inputs.listingBytes) / 1e9,
    prices,
    cloudFront,
  );
}
