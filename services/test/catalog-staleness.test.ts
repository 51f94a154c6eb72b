import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { productKey, shardKey } from "../src/store/keys";
import { addUnits, batchPut, newProductItems } from "../src/store/merchandising";
import { aContainer, aProduct, loadProduct, newKey, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";
import { meterCalls } from "./support/write-meter";

/**
 * The catalog snapshot is served while it is refreshed (stale-while-revalidate), so no request waits for a read of
 * the whole catalog, and never older than twice its TTL: past that a request waits for the new read.
 */
let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

const availableOf = async (shop: ReturnType<typeof aContainer>, sku: string) =>
  (await shop.availability()).products.find((product) => product.sku === sku)?.available;

test("past its TTL the snapshot still answers at once while the next read runs, and the next answer has the change", async () => {
  const product = await loadProduct(table, aProduct({ units: 8, shardCount: 2 }));
  let now = Date.now();
  const shop = aContainer(table, { clock: () => now });
  await shop.availability();
  await addUnits(table.doc, table.tableName, product.sku, 4);

  now += 1_500;
  const served = await availableOf(shop, product.sku);
  await shop.settled();
  const next = await availableOf(shop, product.sku);

  expect(served).toBe(8);
  expect(next).toBe(12);
});

test("a snapshot older than five TTLs is not served: the request waits for the new read", async () => {
  const product = await loadProduct(table, aProduct({ units: 8, shardCount: 2 }));
  let now = Date.now();
  const shop = aContainer(table, { clock: () => now });
  await shop.availability();
  await addUnits(table.doc, table.tableName, product.sku, 4);

  now += 5_001;
  const served = await availableOf(shop, product.sku);

  expect(served).toBe(12);
});

test("a live sale whose stock moved is re-read every TTL, and one whose stock stayed put less often", async () => {
  const own = await createTestTable(); // these two products alone in the catalog
  const moving = await loadProduct(own, aProduct({ units: 8, shardCount: 4 }));
  await loadProduct(own, aProduct({ units: 8, shardCount: 4 })); // quiet: nobody buys it
  let now = Date.now();
  const shop = aContainer(own, { clock: () => now });
  const buyer = aContainer(own);
  const meter = meterCalls(own.doc);
  await shop.availability();
  const shardKeysOfNextRefresh = async () => {
    meter.reset();
    now += 1_001;
    await shop.availability();
    await shop.settled();
    return meter.calls.filter((call) => call.command === "BatchGetItemCommand").reduce((sum, c) => sum + c.keys, 0);
  };

  await buyer.purchase({ shopper: "s", sku: moving.sku, quantity: 1, idempotencyKey: newKey() });
  const afterFirstSecond = await shardKeysOfNextRefresh();
  await buyer.purchase({ shopper: "s", sku: moving.sku, quantity: 1, idempotencyKey: newKey() });
  const afterSecondSecond = await shardKeysOfNextRefresh();

  expect(afterFirstSecond).toBe(8); // both, a second after they were first read
  expect(afterSecondSecond).toBe(4); // the moving one only: the quiet one is next due 2 s after its last read
  expect((await shop.availability()).products.find((p) => p.sku === moving.sku)?.available).toBe(6);
  await own.drop();
});

test("past 100 products the catalog is re-read a page per refresh: a product taken out leaves within a round", async () => {
  const own = await createTestTable();
  const skus = Array.from({ length: 250 }, (_, i) => `page-${String(i).padStart(3, "0")}`);
  const items = skus.flatMap((sku) => {
    const { shards, catalogItem } = newProductItems(aProduct({ sku, units: 1, shardCount: 1 }));
    return [...shards, catalogItem];
  });
  await batchPut(own.doc, own.tableName, items);
  let now = Date.now();
  const shop = aContainer(own, { clock: () => now });
  const listed = async () => {
    now += 1_001;
    await shop.availability();
    await shop.settled();
    return (await shop.availability()).products.map((product) => product.sku);
  };
  const first = await listed();
  await own.doc.send(new DeleteCommand({ TableName: own.tableName, Key: productKey("page-240") }));

  const rounds = [await listed(), await listed(), await listed()];

  expect(first).toHaveLength(250);
  expect(rounds.at(-1)).toHaveLength(249);
  expect(rounds.at(-1)).not.toContain("page-240");
  await own.drop();
});

test("units an ended hold gives back reach the feed at the next refresh, even for a product whose stock stayed put", async () => {
  const product = await loadProduct(table, aProduct({ units: 8, shardCount: 2 }));
  let now = Date.now();
  const shop = aContainer(table, { clock: () => now });
  await shop.availability();
  now += 1_001;
  await shop.availability();
  await shop.settled(); // read again, unchanged: next due 2 s later
  // What returning a held unit writes (order-lifecycle-store.ts returnHold): the shard and the product's count.
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: shardKey(product.sku, 0),
      UpdateExpression: "ADD #u :one",
      ExpressionAttributeNames: { "#u": "units" },
      ExpressionAttributeValues: { ":one": 1 },
    }),
  );
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: productKey(product.sku),
      UpdateExpression: "ADD returnedUnits :one",
      ExpressionAttributeValues: { ":one": 1 },
    }),
  );

  now += 1_001;
  await shop.availability();
  await shop.settled();

  expect(await availableOf(shop, product.sku)).toBe(9);
});
