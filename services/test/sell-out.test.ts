import { aContainer, aProduct, loadProduct, newKey, stockOf, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

test("500 concurrent one-unit purchases of 100 units over 8 shards confirm exactly 100 and sell out cleanly", async () => {
  // prepare: four containers share the table, as Lambda would
  const product = await loadProduct(table, aProduct({ units: 100, shardCount: 8, perCustomerLimit: 1 }));
  // 500 purchases at once queue for seconds behind one engine; this test is about counts, not latency,
  // so no purchase gives up with TRY_AGAIN (the default budget would shed some of them).
  const containers = Array.from({ length: 4 }, () => aContainer(table, { attemptBudgetMs: 60_000 }));

  // act
  const results = await Promise.all(
    Array.from({ length: 500 }, (_, i) =>
      containers[i % containers.length]!.purchase({
        shopper: `shopper-${i}`,
        sku: product.sku,
        quantity: 1,
        idempotencyKey: newKey(),
      }),
    ),
  );

  // assess
  const confirmed = results.filter((result) => result.ok);
  const codes = results.flatMap((result) => (result.ok ? [] : [result.code]));
  expect(confirmed).toHaveLength(100);
  expect(codes.filter((code) => code !== "SOLD_OUT" && code !== "INSUFFICIENT_STOCK")).toEqual([]);
  const stock = await stockOf(table, product.sku);
  expect(stock.shards).toEqual(new Array(8).fill(0));
  expect(stock.orders).toHaveLength(100);
  expect(stock.unitsSold + stock.available).toBe(stock.loadedUnits);
  expect(stock.loadedUnits).toBe(100);
});
