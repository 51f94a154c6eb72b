import { randomUUID } from "node:crypto";
import { PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@flash-sale/services/store";
import { PartitionBudget } from "../src/model/budget";
import { writeCharge } from "../src/model/charges";
import { startThrottlingProxy, type ThrottlingProxy } from "../src/model/proxy";
import { REGION, freshTable } from "./support/table";

describe("per-partition write budget", () => {
  it("starts every partition empty: no free burst, only what the rate has added since the start", () => {
    let now = 0;
    const budget = new PartitionBudget(10, () => now);

    expect(budget.take([{ partition: "STOCK#a#0", units: 1 }])).toEqual(["STOCK#a#0"]);
    now = 300; // 3 units added since the start, to every partition alike
    expect(budget.take([{ partition: "STOCK#a#1", units: 4 }])).toEqual(["STOCK#a#1"]);
    expect(budget.take([{ partition: "STOCK#a#1", units: 3 }])).toEqual([]);
  });

  it("fills a partition to at most one second's worth, refuses the next write, refills with time", () => {
    let now = 0;
    const budget = new PartitionBudget(10, () => now);
    now = 5_000; // idle for 5 s: still only 10 units saved

    expect(budget.take([{ partition: "STOCK#a#0", units: 6 }])).toEqual([]);
    expect(budget.take([{ partition: "STOCK#a#0", units: 6 }])).toEqual(["STOCK#a#0"]);
    expect(budget.take([{ partition: "STOCK#a#1", units: 6 }])).toEqual([]);
    now = 5_100; // 4 left + 1 refilled
    expect(budget.take([{ partition: "STOCK#a#0", units: 6 }])).toEqual(["STOCK#a#0"]);
    now = 5_200; // 4 + 2
    expect(budget.take([{ partition: "STOCK#a#0", units: 6 }])).toEqual([]);
  });

  it("empties every partition again on reset, so each measurement starts without saved-up units", () => {
    let now = 0;
    const budget = new PartitionBudget(10, () => now);
    now = 2_000;
    budget.reset();

    expect(budget.take([{ partition: "cold", units: 1 }])).toEqual(["cold"]);
    now = 2_500;
    expect(budget.take([{ partition: "cold", units: 5 }])).toEqual([]);
  });

  it("charges a transaction all or nothing: one short partition refuses every item", () => {
    let now = 0;
    const budget = new PartitionBudget(4, () => now);
    now = 1_000; // every partition full (4 units)
    budget.take([{ partition: "hot", units: 3 }]);

    expect(
      budget.take([
        { partition: "cold", units: 2 },
        { partition: "hot", units: 2 },
      ]),
    ).toEqual(["hot"]);
    expect(budget.take([{ partition: "cold", units: 4 }])).toEqual([]);
  });

  it("prices writes like DynamoDB: 1 unit per KB, 2 inside a transaction", () => {
    const put = writeCharge("DynamoDB_20120810.PutItem", {
      Item: { pk: { S: "A" }, sk: { S: "B" }, blob: { S: "x".repeat(1500) } },
    });
    const transaction = writeCharge("DynamoDB_20120810.TransactWriteItems", {
      TransactItems: [
        { Update: { Key: { pk: { S: "STOCK#s#0" }, sk: { S: "STOCK" } } } },
        { Put: { Item: { pk: { S: "SHOPPER#x" }, sk: { S: "ORDER#1" } } } },
      ],
    });

    expect(put).toEqual({ kind: "single", items: [expect.objectContaining({ partition: "A", units: 2 })] });
    expect(transaction).toEqual({
      kind: "transaction",
      items: [
        expect.objectContaining({ partition: "STOCK#s#0", units: 2 }),
        expect.objectContaining({ partition: "SHOPPER#x", units: 2 }),
      ],
    });
    expect(writeCharge("DynamoDB_20120810.Query", {})).toEqual({ kind: "none" });
  });
});

describe("throttling proxy in front of DynamoDB Local", () => {
  let proxy: ThrottlingProxy;
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeAll(async () => {
    table = await freshTable();
    // Buckets start empty at the proxy's start; the clock then stands still a second later: every
    // partition full (4 units) and no refill between the requests, whatever DynamoDB Local's latency.
    let now = 0;
    proxy = await startThrottlingProxy({ upstream: table.endpoint, unitsPerSecond: 4, clock: () => now });
    now = 1_000;
  });
  afterAll(() => proxy.close());

  it("answers an over-budget transaction with DynamoDB's TransactionCanceledException and a ThrottlingError reason", async () => {
    const doc = createDocumentClient({ region: REGION, endpoint: proxy.endpoint });
    const hot = `STOCK#${randomUUID()}#0`;
    await doc.send(new PutCommand({ TableName: table.tableName, Item: { pk: hot, sk: "STOCK", units: 10 } }));
    const take = (shopper: string) =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table.tableName,
                Key: { pk: hot, sk: "STOCK" },
                UpdateExpression: "SET units = units - :one",
                ExpressionAttributeValues: { ":one": 1 },
              },
            },
            { Put: { TableName: table.tableName, Item: { pk: `SHOPPER#${shopper}`, sk: "ORDER#1" } } },
          ],
        }),
      );

    // The Put above took 1 of the hot partition's 4 units; one transaction takes 2 more; the next needs 2 with 1 left.
    await take("a");
    const error = await take("b").then(
      () => undefined,
      (e: unknown) => e as { name: string; CancellationReasons?: Array<{ Code?: string }> },
    );

    expect(error?.name).toBe("TransactionCanceledException");
    expect(error?.CancellationReasons?.map((r) => r.Code)).toEqual(["ThrottlingError", "None"]);
    expect(proxy.stats.throttled).toBeGreaterThanOrEqual(1);
  });

  it("answers an over-budget single write with ProvisionedThroughputExceededException and charges failed conditions", async () => {
    const doc = createDocumentClient({ region: REGION, endpoint: proxy.endpoint });
    // No SDK retries: the test wants the raw answer.
    doc.config.maxAttempts = async () => 1;
    const pk = `HOT#${randomUUID()}`;
    const failing = () =>
      doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: { pk, sk: "x" },
          UpdateExpression: "SET n = :one",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":one": 1 },
        }),
      );
    const names: string[] = [];
    for (let i = 0; i < 5; i++)
      names.push(
        await failing().then(
          () => "ok",
          (e: unknown) => (e as Error).name,
        ),
      );

    expect(names.slice(0, 4)).toEqual(Array(4).fill("ConditionalCheckFailedException"));
    expect(names[4]).toBe("ProvisionedThroughputExceededException");
  });
});
