import { aContainer, aProduct, loadProduct, newKey, stockOf, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

test("one shopper firing 20 parallel purchases with a limit of 2 ends with exactly 2 units", async () => {
  // prepare: plenty of stock, two containers racing for the same shopper
  const product = await loadProduct(table, aProduct({ units: 100, shardCount: 8, perCustomerLimit: 2 }));
  const containers = [aContainer(table), aContainer(table)];

  // act
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      containers[i % 2]!.purchase({ shopper: "eager", sku: product.sku, quantity: 1, idempotencyKey: newKey() }),
    ),
  );

  // assess
  expect(results.filter((result) => result.ok)).toHaveLength(2);
  expect(new Set(results.flatMap((result) => (result.ok ? [] : [result.code])))).toEqual(new Set(["LIMIT_EXCEEDED"]));
  const stock = await stockOf(table, product.sku);
  expect(stock.unitsSold).toBe(2);
  expect(stock.available).toBe(98);
  expect(stock.limits.map((limit) => limit.units)).toEqual([2]);
});

test("a quantity above the per-customer limit is refused before any write", async () => {
  // prepare
  const product = await loadProduct(table, aProduct({ perCustomerLimit: 2 }));

  // act
  const result = await aContainer(table).purchase({
    shopper: "bulk",
    sku: product.sku,
    quantity: 3,
    idempotencyKey: newKey(),
  });

  // assess
  expect(result).toMatchObject({ ok: false, code: "INVALID_REQUEST", details: { perCustomerLimit: 2 } });
  expect((await stockOf(table, product.sku)).available).toBe(product.units);
});
