import { aContainer, aProduct, loadProduct, newKey, stockOf, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

test("a purchase larger than any one shard takes its units from several shards in one transaction", async () => {
  // prepare: 10 units over 4 shards is 3+3+2+2, so 7 units need at least three shards
  const product = await loadProduct(table, aProduct({ units: 10, shardCount: 4, perCustomerLimit: 10 }));

  // act
  const result = await aContainer(table).purchase({
    shopper: "big-buyer",
    sku: product.sku,
    quantity: 7,
    idempotencyKey: newKey(),
  });

  // assess
  expect(result).toMatchObject({ ok: true, order: { quantity: 7, totalCents: 7 * product.priceCents } });
  const stock = await stockOf(table, product.sku);
  expect(stock.available).toBe(3);
  expect(Math.min(...stock.shards)).toBeGreaterThanOrEqual(0);
  expect(stock.unitsSold + stock.available).toBe(stock.loadedUnits);
});

test("a purchase of more than the total left is refused and changes nothing", async () => {
  // prepare
  const product = await loadProduct(table, aProduct({ units: 5, shardCount: 3, perCustomerLimit: 10 }));
  const before = await stockOf(table, product.sku);

  // act
  const result = await aContainer(table).purchase({
    shopper: "greedy",
    sku: product.sku,
    quantity: 6,
    idempotencyKey: newKey(),
  });

  // assess
  expect(result).toMatchObject({ ok: false, code: "INSUFFICIENT_STOCK", details: { available: 5 } });
  const after = await stockOf(table, product.sku);
  expect(after.shards).toEqual(before.shards);
  expect(after.orders).toHaveLength(0);
  expect(after.limits).toHaveLength(0);
});
