import { measuredPurchaseLogBytes } from "../src/cost/log-bytes";
import { cognitoPerMillionPurchases, costPerMillion, snapshotReadUnitsPerRequest } from "../src/cost/model";
import { pollingTheEdge, pollingTheListing } from "../src/cost/watching";

const prices = {
  dynamodb: { writeRequestUnitPerMillion: 0.5, readRequestUnitPerMillion: 0.1 },
  lambda: { arm64PerGbSecond: 0.00001, requestsPerMillion: 0.2 },
  apiGateway: { httpRequestsPerMillion: 1 },
};

describe("cost model", () => {
  it("adds API, Lambda requests, Lambda GB-seconds and DynamoDB units per million requests", () => {
    const cost = costPerMillion({ writeUnits: 6, readUnits: 0, lambdaMs: 50 }, 2048, prices);

    // 1 + 0.2 + (2 GB × 0.05 s × 1e6 × 0.00001 = 1) + 6 × 0.5 + 0
    expect(cost.perMillion).toBeCloseTo(5.2, 10);
    expect(cost.lines.map((l) => l.usd)).toEqual([1, 0.2, expect.closeTo(1, 10), 3, 0]);
  });

  it("bills Lambda in whole milliseconds, rounding up", () => {
    const cost = costPerMillion({ writeUnits: 0, readUnits: 0, lambdaMs: 4.2 }, 1024, prices);

    expect(cost.lines[2]!.usd).toBeCloseTo(1 * 0.005 * 1e6 * 0.00001, 10);
  });

  it("shares a container's once-a-second snapshot reads across the requests it serves", () => {
    // Catalog Query of 6 KB: 2 × 0.5 RRU; 3 shards strongly consistent: 3 RRU; over 50 requests.
    expect(snapshotReadUnitsPerRequest({ catalogKb: 6, shardsOnSale: 3, requestsPerContainerSecond: 50 })).toBeCloseTo(
      4 / 50,
      10,
    );
  });
});

describe("cost model, every line", () => {
  const withEdge = {
    ...prices,
    cloudFront: { httpsRequestsPer10k: 0.01, transferPerGb: 0.1 },
    cloudWatchLogs: { ingestionPerGb: 0.5 },
  };

  it("adds CloudFront's requests and data out, and CloudWatch Logs ingestion, for every request", () => {
    const cost = costPerMillion(
      { writeUnits: 0, readUnits: 0, lambdaMs: 1, responseBytes: 1_000, logBytes: 2_000 },
      1024,
      withEdge,
    );

    // 1e6 / 1e4 × $0.01 = $1; 1 GB out × $0.1; 2 GB of logs × $0.5
    expect(cost.lines.find((l) => l.service === "CloudFront HTTPS requests")?.usd).toBeCloseTo(1, 10);
    expect(cost.lines.find((l) => l.service.startsWith("CloudFront data out"))?.usd).toBeCloseTo(0.1, 10);
    expect(cost.lines.find((l) => l.service.startsWith("CloudWatch Logs ingestion"))?.usd).toBeCloseTo(1, 10);
  });

  it("bills Cognito's monthly active users above the free ones, band by band", () => {
    const bands = [
      { upTo: 100_000, usd: 0.01 },
      { upTo: Number.POSITIVE_INFINITY, usd: 0.001 },
    ];

    // 1,000,000 MAUs: 90,000 at $0.01 and 900,000 at $0.001
    expect(cognitoPerMillionPurchases(1, { freeMaus: 10_000, bands })).toEqual({ maus: 1_000_000, usd: 900 + 900 });
    expect(cognitoPerMillionPurchases(0.005, { freeMaus: 10_000, bands }).usd).toBe(0);
  });

  it("measures a purchase's log bytes from the functions' own log lines", () => {
    const logged = measuredPurchaseLogBytes();

    // The request line and the EMF metrics line, each with CloudWatch's 26 bytes.
    expect(logged.events).toBe(2);
    expect(logged.bytes).toBeGreaterThan(200);
    expect(logged.bytes).toBeLessThan(4_000);
  });
});

describe("watching a sale", () => {
  const cloudFront = { httpsRequestsPer10k: 0.01, transferPerGb: 0.1 };
  const inputs = {
    shoppers: 100_000,
    pollSeconds: 2,
    arrivalSeconds: 500,
    edgeTtlSeconds: 1,
    listingMs: 5,
    feedMs: 3,
    lambdaMemoryMb: 1024,
    containerRps: 100,
    catalogKb: 4,
    shardsOnSale: 2,
    listingBytes: 1000,
    feedBytes: 100,
  };

  it("before: every poll is an API request and a Lambda call; snapshot reads grow with containers", () => {
    const load = pollingTheListing(inputs, prices, cloudFront);

    expect(load).toMatchObject({
      apiRequestsPerSecond: 50_000,
      lambdaInvocationsPerSecond: 50_000,
      cloudFrontRequestsPerSecond: 50_000,
    });
    // 500 containers, each reading 0.5 RRU (catalog) + 2 RRU (shards) a second.
    expect(load.dynamoReadUnitsPerSecond).toBeCloseTo(1_250, 10);
    // API: 180 M requests/hour at $1/M.
    expect(load.usdPerHour.apiGateway).toBeCloseTo(180, 10);
  });

  it("after: the API sees the arrivals' listing reads plus one feed request per edge TTL, whatever the crowd", () => {
    const load = pollingTheEdge(inputs, prices, cloudFront);
    const tenTimes = pollingTheEdge({ ...inputs, shoppers: 1_000_000 }, prices, cloudFront);

    expect(load.apiRequestsPerSecond).toBeCloseTo(200 + 1, 10);
    expect(tenTimes.apiRequestsPerSecond).toBeCloseTo(2_000 + 1, 10);
    expect(load.cloudFrontRequestsPerSecond).toBeCloseTo(50_200, 10);
    // Listing: 2 containers × 2.5 RRU; feed: 1 container × 2.5 RRU.
    expect(load.dynamoReadUnitsPerSecond).toBeCloseTo(7.5, 10);
    // CloudFront: 50,200 req/s × 3,600 / 10,000 × $0.01, plus (50,000 × 100 B + 200 × 1,000 B)/s × 3,600 at $0.1/GB.
    expect(load.usdPerHour.cloudFront).toBeCloseTo(180.72 + 1.872, 6);
  });
});
