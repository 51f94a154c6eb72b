import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditItems, narrowToSku } from "../src/store/reconcile";
import { aContainer, aProduct, loadProduct, newKey, scanAll, stockOf, type TestTable } from "./support/shop";
import { runStockCli, writeCatalogFile } from "./support/stock-cli";
import { createTestTable } from "./support/table";

/**
 * Issue 25, item 1: every write respects the engine's items per transaction. The bundled DynamoDB Local
 * (1.11.478) takes 10 items, so a product of 12 shards is past it for every write that would touch each shard.
 */

let table: TestTable;
let dir: string;
beforeAll(async () => {
  table = await createTestTable();
  dir = mkdtempSync(join(tmpdir(), "engine-limits-"));
});
afterAll(async () => {
  await table.drop();
});

const stock = (...args: string[]) => runStockCli(table, args);

/** The reconciliation audit of one product: no unit outside the live shards, loaded = sold + held + available. */
async function violationsOf(sku: string) {
  const items = await scanAll(table);
  return narrowToSku(auditItems(items), sku, items).violations.map((violation) => violation.message);
}

test("buying 10 of 12 units spread one per shard answers 409 with what one purchase can take, never a 500", async () => {
  // prepare: 12 units, one in each of 12 shards
  const product = await loadProduct(table, aProduct({ units: 12, shardCount: 12, perCustomerLimit: 10 }));
  const container = aContainer(table);

  // act
  const result = await container
    .purchase({ shopper: "spread-thin", sku: product.sku, quantity: 10, idempotencyKey: newKey() })
    .catch((error: Error) => ({ ok: "threw", error: error.message }));

  // assess: a refusal naming how many one purchase can take now (8 shards + order + allowance = 10 items)
  expect(result).toMatchObject({ ok: false, code: "INSUFFICIENT_STOCK", details: { available: 8 } });
  expect((await stockOf(table, product.sku)).available).toBe(12);
});

test("a purchase of as many units as one transaction can take sells them from several shards at once", async () => {
  const product = await loadProduct(table, aProduct({ units: 12, shardCount: 12, perCustomerLimit: 10 }));
  const container = aContainer(table);

  const result = await container.purchase({
    shopper: "eight",
    sku: product.sku,
    quantity: 8,
    idempotencyKey: newKey(),
  });

  expect(result).toMatchObject({ ok: true, order: { quantity: 8 } });
  expect((await stockOf(table, product.sku)).available).toBe(4);
  expect(await violationsOf(product.sku)).toEqual([]);
});

test("`stock add` on a 12-shard product adds every unit in one write, all in live shards", async () => {
  const product = await loadProduct(table, aProduct({ units: 24, shardCount: 12 }));

  const result = await stock("add", product.sku, "12");

  expect(result).toMatchObject({ code: 0, stderr: "" });
  const after = await stockOf(table, product.sku);
  expect({ loaded: after.loadedUnits, available: after.available, shards: after.shards.length }).toEqual({
    loaded: 36,
    available: 36,
    shards: 12,
  });
  expect(await violationsOf(product.sku)).toEqual([]);
});

test.each([
  [12, 4],
  [4, 12],
  [12, 16],
])("`stock reshard` of a product from %i to %i shards keeps every unit, in the live shards only", async (from, to) => {
  const product = await loadProduct(table, aProduct({ units: 50, shardCount: from }));

  const result = await stock("reshard", product.sku, String(to), "--force");

  expect(result).toMatchObject({ code: 0, stderr: "" });
  const after = await stockOf(table, product.sku);
  expect(Number(after.product?.shardCount)).toBe(to);
  expect(after.shards).toHaveLength(to);
  expect(after.available).toBe(50);
  expect(Math.max(...after.shards) - Math.min(...after.shards)).toBeLessThanOrEqual(1);
  expect(await violationsOf(product.sku)).toEqual([]);
});

test("`stock load` with a new price and 12 more units for a 12-shard product applies both", async () => {
  const product = await loadProduct(table, aProduct({ units: 24, shardCount: 12, priceCents: 1_000 }));
  const file = writeCatalogFile(dir, "more.json", [{ ...product, priceCents: 1_500, units: 36 }]);

  const result = await stock("load", file);

  expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("1 updated") });
  const after = await stockOf(table, product.sku);
  expect({ price: after.product?.priceCents, loaded: after.loadedUnits, available: after.available }).toEqual({
    price: 1_500,
    loaded: 36,
    available: 36,
  });
  expect(await violationsOf(product.sku)).toEqual([]);
});
