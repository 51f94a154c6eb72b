import { addUnits } from "../src/store/merchandising";
import { aContainer, aProduct, loadProduct, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";

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

test("a snapshot older than twice its TTL is not served: the request waits for the new read", async () => {
  const product = await loadProduct(table, aProduct({ units: 8, shardCount: 2 }));
  let now = Date.now();
  const shop = aContainer(table, { clock: () => now });
  await shop.availability();
  await addUnits(table.doc, table.tableName, product.sku, 4);

  now += 2_001;
  const served = await availableOf(shop, product.sku);

  expect(served).toBe(12);
});
