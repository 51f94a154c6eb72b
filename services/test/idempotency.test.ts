import { aContainer, aProduct, loadProduct, newKey, stockOf, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

test("the same idempotency key sent 10 times concurrently yields one order and one decrement", async () => {
  // prepare
  const product = await loadProduct(table, aProduct({ units: 20, shardCount: 4, perCustomerLimit: 5 }));
  const containers = [aContainer(table), aContainer(table), aContainer(table)];
  const request = { shopper: "retrier", sku: product.sku, quantity: 2, idempotencyKey: newKey() };

  // act
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => containers[i % 3]!.purchase(request)));

  // assess: everyone is told about the one order; it was bought once
  const orderIds = results.map((result) => (result.ok ? result.order.orderId : result.code));
  expect(new Set(orderIds)).toEqual(new Set([request.idempotencyKey]));
  expect(results.filter((result) => result.ok && !result.replayed)).toHaveLength(1);
  const stock = await stockOf(table, product.sku);
  expect(stock.orders).toHaveLength(1);
  expect(stock.available).toBe(18);
  expect(stock.limits.map((limit) => limit.units)).toEqual([2]);
});

test("a retry after the product sold out still returns the order the key bought", async () => {
  // prepare: the shopper buys the last unit
  const product = await loadProduct(table, aProduct({ units: 1, shardCount: 1, perCustomerLimit: 1 }));
  const request = { shopper: "lucky", sku: product.sku, quantity: 1, idempotencyKey: newKey() };
  const first = await aContainer(table).purchase(request);

  // act
  const retry = await aContainer(table).purchase(request);

  // assess
  expect(first.ok).toBe(true);
  expect(retry).toMatchObject({ ok: true, replayed: true, order: { orderId: request.idempotencyKey } });
});

test("a key reused for a different purchase is IDEMPOTENCY_KEY_REUSED and buys nothing", async () => {
  // prepare
  const product = await loadProduct(table, aProduct({ units: 10, perCustomerLimit: 5 }));
  const shop = aContainer(table);
  const key = newKey();
  await shop.purchase({ shopper: "sloppy", sku: product.sku, quantity: 1, idempotencyKey: key });

  // act
  const reused = await shop.purchase({ shopper: "sloppy", sku: product.sku, quantity: 2, idempotencyKey: key });

  // assess
  expect(reused).toMatchObject({ ok: false, code: "IDEMPOTENCY_KEY_REUSED" });
  const stock = await stockOf(table, product.sku);
  expect(stock.unitsSold).toBe(1);
  expect(stock.available).toBe(9);
});
