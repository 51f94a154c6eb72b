import { aContainer, aProduct, loadProduct, newKey, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";
import { meterCalls } from "./support/write-meter";

let table: TestTable;
let meter: ReturnType<typeof meterCalls>;
beforeAll(async () => {
  table = await createTestTable();
  meter = meterCalls(table.doc);
});
afterAll(async () => {
  await table.drop();
});

test("availability is the sum of the shards, and 200 listings within a second cost one snapshot read", async () => {
  // prepare: 2 products, one partly sold
  const a = await loadProduct(table, aProduct({ sku: "list-a", units: 30, shardCount: 3 }));
  await loadProduct(table, aProduct({ sku: "list-b", units: 7, shardCount: 2 }));
  await aContainer(table).purchase({ shopper: "s", sku: a.sku, quantity: 4, idempotencyKey: newKey() });
  let now = Date.now();
  const shop = aContainer(table, { clock: () => now });
  meter.reset();

  // act
  const listings = await Promise.all(Array.from({ length: 200 }, () => shop.listProducts()));

  // assess
  const listing = listings[199]!;
  expect(listing.products.map((p) => [p.sku, p.available, p.soldOut])).toEqual([
    ["list-a", 26, false],
    ["list-b", 7, false],
  ]);
  expect(meter.calls.map((call) => call.command).sort()).toEqual(["BatchGetItemCommand", "QueryCommand"]);

  // and the snapshot is refreshed once it is older than a second (in the background: the answer is the previous one)
  now += 1_001;
  await shop.listProducts();
  await shop.settled();
  expect(meter.calls).toHaveLength(4);
});
