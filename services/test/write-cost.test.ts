import { WRITE_UNITS_PER_PURCHASE } from "../src/domain/capacity";
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
beforeEach(() => meter.reset());

test("a successful one-unit purchase is one transaction costing at most 6 write units", async () => {
  // prepare: warm the container's snapshot so only the purchase itself is metered
  const product = await loadProduct(table, aProduct({ units: 10, shardCount: 4 }));
  const shop = aContainer(table);
  await shop.listProducts();
  meter.reset();

  // act
  const result = await shop.purchase({ shopper: "buyer", sku: product.sku, quantity: 1, idempotencyKey: newKey() });

  // assess
  expect(result.ok).toBe(true);
  const writes = meter.writes();
  expect(writes.map((call) => call.command)).toEqual(["TransactWriteItemsCommand"]);
  const units = writes[0]!.consumedUnits;
  expect(units).toBeDefined();
  expect(units).toBeLessThanOrEqual(6);
  // AWS bills 2 units per item of a transaction (≤1 KB each): the capacity plan uses that figure.
  expect(WRITE_UNITS_PER_PURCHASE).toBe(2 * writes.length * 3);
  process.stdout.write(
    `write units for a successful 1-unit purchase: ${units} reported by DynamoDB Local; ${WRITE_UNITS_PER_PURCHASE} billed by AWS (3 items x 2)\n`,
  );
});

test("after the sell-out, more purchases cost zero writes, in this container and in a fresh one", async () => {
  // prepare: sell the product out through one container, which flags the catalog once
  const product = await loadProduct(table, aProduct({ units: 3, shardCount: 2, perCustomerLimit: 1 }));
  const first = aContainer(table);
  for (let i = 0; i < 4; i++)
    await first.purchase({ shopper: `early-${i}`, sku: product.sku, quantity: 1, idempotencyKey: newKey() });
  meter.reset();
  const fresh = aContainer(table);

  // act
  const late = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      (i % 2 ? first : fresh).purchase({
        shopper: `late-${i}`,
        sku: product.sku,
        quantity: 1,
        idempotencyKey: newKey(),
      }),
    ),
  );

  // assess
  expect(new Set(late.map((result) => (result.ok ? "OK" : result.code)))).toEqual(new Set(["SOLD_OUT"]));
  expect(meter.writes()).toEqual([]);
  // Reads: the fresh container's read of its one product (flagged sold out, so no shard reads and no catalog
  // Query), then one GetItem per rejection on the shopper's own partition (a retry of a purchase that did
  // succeed must still get its order back).
  const reads = meter.reads().map((call) => call.command);
  expect(reads).toHaveLength(51);
  expect(new Set(reads)).toEqual(new Set(["GetItemCommand"]));
});

test("concurrent purchases of a product's last units in one container send one write per unit, none that fails its condition", async () => {
  // prepare: 6 units over 3 shards, the container's snapshot warm
  const product = await loadProduct(table, aProduct({ units: 6, shardCount: 3, perCustomerLimit: 1 }));
  const shop = aContainer(table);
  await shop.listProducts();
  meter.reset();

  // act: five shoppers for every unit, all at once
  const results = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      shop.purchase({ shopper: `crowd-${i}`, sku: product.sku, quantity: 1, idempotencyKey: newKey() }),
    ),
  );

  // assess
  expect(results.filter((result) => result.ok)).toHaveLength(6);
  expect(new Set(results.flatMap((result) => (result.ok ? [] : [result.code])))).toEqual(new Set(["SOLD_OUT"]));
  const transactions = meter.writes().filter((call) => call.command === "TransactWriteItemsCommand");
  expect(transactions.filter((call) => call.failed)).toEqual([]);
  expect(transactions).toHaveLength(6);
});
