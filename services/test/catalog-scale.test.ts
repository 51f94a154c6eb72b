import { createHandler, type ApiEvent } from "../src/http/api-handler";
import { createLog } from "../src/http/log";
import { batchPut, newProductItems } from "../src/store/merchandising";
import { routes } from "../src/routes";
import { aContainer, aProduct, newKey, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";
import { meterCalls } from "./support/write-meter";

/**
 * Issue 25: with 60 products of 16 shards (960 shards) every /availability answer was 503 TRY_AGAIN, because the
 * container's snapshot read every shard 100 keys at a time with a pause between requests and gave up after 8.
 */
const PRODUCTS = 60;
const SHARDS = 16;
const HOUR = 3_600_000;
const route = (handler: string) => routes.find((candidate) => candidate.handler === handler)!;
const publicEvent = { headers: {}, isBase64Encoded: false, requestContext: { requestId: "r" } } as unknown as ApiEvent;
const shopperEvent = (body?: unknown) =>
  ({
    headers: { "content-type": "application/json" },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    requestContext: { requestId: "r", authorizer: { jwt: { claims: { sub: "s1" }, scopes: [] } } },
  }) as unknown as ApiEvent;
const quiet = createLog({ logs: () => false } as Parameters<typeof createLog>[0]);

let table: TestTable;
let meter: ReturnType<typeof meterCalls>;
const skus = Array.from({ length: PRODUCTS }, (_, i) => `big-${String(i).padStart(3, "0")}`);
beforeAll(async () => {
  table = await createTestTable();
  meter = meterCalls(table.doc);
  const items = skus.flatMap((sku) => {
    const { shards, catalogItem } = newProductItems(aProduct({ sku, units: 32, shardCount: SHARDS }));
    return [...shards, catalogItem];
  });
  // An ended and a future sale too: their shards are read once, not every second.
  for (const [sku, starts, ends] of [
    ["ended", -2 * HOUR, -HOUR],
    ["future", 24 * HOUR, 25 * HOUR],
  ] as const) {
    const product = aProduct({
      sku,
      units: 16,
      shardCount: SHARDS,
      saleStartsAt: new Date(Date.now() + starts).toISOString(),
      saleEndsAt: new Date(Date.now() + ends).toISOString(),
    });
    const { shards, catalogItem } = newProductItems(product);
    items.push(...shards, catalogItem);
  }
  await batchPut(table.doc, table.tableName, items);
});
afterAll(async () => {
  await table.drop();
});

test("with 60 products of 16 shards, /availability answers 200 within its deadline with every product's stock", async () => {
  const handler = createHandler(route("availability"), () => aContainer(table), { log: quiet });

  const response = await handler(publicEvent);

  expect(response.statusCode).toBe(200);
  const feed = JSON.parse(response.body) as { products: { sku: string; available: number }[] };
  expect(feed.products).toHaveLength(PRODUCTS + 2);
  expect(feed.products.filter((product) => product.sku.startsWith("big-")).every((p) => p.available === 32)).toBe(true);
});

test("with 60 products of 16 shards, a purchase on a fresh container reads its own product and shards, not the catalog's", async () => {
  const shop = aContainer(table);
  meter.reset();
  const handler = createHandler(route("purchase"), () => shop, { log: quiet });

  const response = await handler(shopperEvent({ sku: "big-007", quantity: 1, idempotencyKey: newKey() }));

  expect(response.statusCode).toBe(201);
  const reads = meter.calls.filter((call) => call.command !== "TransactWriteItemsCommand");
  expect(reads.map((call) => call.command)).not.toContain("QueryCommand");
  const keysRead = reads.reduce((sum, call) => sum + call.keys, 0);
  expect(keysRead).toBeLessThanOrEqual(1 + SHARDS);
});

test("a warm container's refresh re-reads live products' shards, and the ended and future sales' only when due", async () => {
  let now = Date.now();
  const shop = aContainer(table, { clock: () => now, snapshotShardBudget: 2_000 });
  await shop.availability();
  meter.reset();

  now += 1_001;
  await shop.availability();
  await until(() => meter.calls.some((call) => call.command === "BatchGetItemCommand"));
  await shop.settled();

  const shardKeys = meter.calls
    .filter((call) => call.command === "BatchGetItemCommand")
    .reduce((s, c) => s + c.keys, 0);
  expect(shardKeys).toBe(PRODUCTS * SHARDS);
});

async function until(condition: () => boolean): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error("condition not met within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
