import { costPerMillion, snapshotReadUnitsPerRequest } from "../src/cost/model";

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
    expect(snapshotReadUnitsPerRequest({ catalogKb: 6, shardsOnSale: 3, requestsPerContainerSecond: 50 })).toBeCloseTo(4 / 50, 10);
  });
});
