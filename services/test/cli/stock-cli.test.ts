import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { productKey } from "../../src/store/keys";
import { aContainer, aProduct, newKey, scanAll, stockOf, type TestTable } from "../support/shop";
import { runStockCli, writeCatalogFile } from "../support/stock-cli";
import { createTestTable } from "../support/table";

let table: TestTable;
let dir: string;
beforeAll(async () => {
  table = await createTestTable();
  dir = mkdtempSync(join(tmpdir(), "stock-cli-"));
});
afterAll(async () => {
  await table.drop();
});

/** Runs the real CLI against this file's table in DynamoDB Local. */
const stock = (...args: string[]) => runStockCli(table, args);
const stockFrom = (initCwd: string | undefined, ...args: string[]) => runStockCli(table, args, initCwd);

const catalogFile = (name: string, products: unknown) => writeCatalogFile(dir, name, products);

test("load creates products with units split evenly over their shards, and status shows them", async () => {
  const file = catalogFile("two.json", [
    aProduct({ sku: "cli-a", units: 10, shardCount: 4 }),
    aProduct({ sku: "cli-b", units: 3, shardCount: 1 }),
  ]);

  const load = await stock("load", file);
  const status = await stock("status", "cli-a", "--json");

  expect(load).toMatchObject({ code: 0, stdout: expect.stringContaining("2 created") });
  expect((await stockOf(table, "cli-a")).shards).toEqual([3, 3, 2, 2]);
  expect(JSON.parse(status.stdout)).toEqual([
    expect.objectContaining({
      sku: "cli-a",
      loaded: 10,
      sold: 0,
      held: 0,
      available: 10,
      shards: [3, 3, 2, 2],
      orders: 0,
    }),
  ]);
});

test("a file with any bad product writes nothing and names file, product and field", async () => {
  const file = catalogFile("bad.json", [
    aProduct({ sku: "cli-good" }),
    { ...aProduct({ sku: "cli-bad" }), priceCents: 9.99, colour: "red" },
  ]);
  const before = (await scanAll(table)).length;

  const result = await stock("load", file);

  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`${file}: product #2 (cli-bad): priceCents must be a whole number of cents`);
  expect(result.stderr).toContain(`${file}: product #2 (cli-bad): unknown field colour`);
  expect((await scanAll(table)).length).toBe(before);
});

test("--dry-run reports the plan and writes nothing", async () => {
  const file = catalogFile("dry.json", [aProduct({ sku: "cli-dry" })]);

  const result = await stock("load", file, "--dry-run");

  expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("1 to create") });
  expect((await stockOf(table, "cli-dry")).product).toBeUndefined();
});

test("reloading tops stock up and updates fields, but refuses to reduce units or change shards", async () => {
  const product = aProduct({ sku: "cli-up", units: 8, shardCount: 2 });
  await stock("load", catalogFile("up1.json", [product]));

  const topUp = await stock("load", catalogFile("up2.json", [{ ...product, units: 12, priceCents: 500 }]));
  const reduce = await stock("load", catalogFile("up3.json", [{ ...product, units: 5, priceCents: 500 }]));
  const shards = await stock(
    "load",
    catalogFile("up4.json", [{ ...product, units: 12, shardCount: 3, priceCents: 500 }]),
  );

  expect(topUp.code).toBe(0);
  const stock12 = await stockOf(table, "cli-up");
  expect([stock12.loadedUnits, stock12.available, stock12.product?.priceCents]).toEqual([12, 12, 500]);
  expect(reduce).toMatchObject({ code: 1, stderr: expect.stringContaining("units 5 is below the 12 already loaded") });
  expect(shards).toMatchObject({
    code: 1,
    stderr: expect.stringContaining("use `reshard`".replace("use ", "change it with ")),
  });
});

test("add spreads units over the shards and keeps sold + available = loaded", async () => {
  await stock(
    "load",
    catalogFile("add.json", [aProduct({ sku: "cli-add", units: 4, shardCount: 2, perCustomerLimit: 5 })]),
  );
  await aContainer(table).purchase({ shopper: "s1", sku: "cli-add", quantity: 3, idempotencyKey: newKey() });

  const result = await stock("add", "cli-add", "6");

  expect(result.code).toBe(0);
  const after = await stockOf(table, "cli-add");
  expect([after.loadedUnits, after.available, after.unitsSold]).toEqual([10, 7, 3]);
});

test("reshard keeps the total and is refused during an open sale unless forced", async () => {
  await stock("load", catalogFile("re.json", [aProduct({ sku: "cli-re", units: 9, shardCount: 3 })]));

  const refused = await stock("reshard", "cli-re", "4");
  const forced = await stock("reshard", "cli-re", "4", "--force");

  expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("sale is open") });
  expect(forced.code).toBe(0);
  const after = await stockOf(table, "cli-re");
  expect(after.shards).toEqual([3, 2, 2, 2]);
  expect(after.product?.shardCount).toBe(4);
  expect(
    (await aContainer(table).purchase({ shopper: "s2", sku: "cli-re", quantity: 1, idempotencyKey: newKey() })).ok,
  ).toBe(true);
});

test("bad arguments are usage errors with a clear message", async () => {
  const results = await Promise.all([
    stock("add", "cli-a", "1.5"),
    stock("reshard", "cli-a", "500"),
    stock("frobnicate"),
    stock("add", "no-such-sku", "1"),
  ]);

  expect(results.map((result) => result.code)).toEqual([2, 2, 2, 1]);
  expect(results[0]!.stderr).toContain("units must be a whole number from 1");
  expect(results[1]!.stderr).toContain("shards must be a whole number from 1 to 64");
  expect(results[2]!.stderr).toContain("unknown command 'frobnicate'");
  expect(results[3]!.stderr).toContain("no product 'no-such-sku'");
});

test("plan prints shards and warm throughput for a peak rate", async () => {
  const result = await stock("plan", "--peak", "2000", "--json");

  expect(JSON.parse(result.stdout)).toMatchObject({
    shards: 23,
    purchasesPerShardPerSecond: 89,
    tableWriteUnitsPerSecond: 18000,
  });
});

test("loading 1,000 products reports progress and creates them all", async () => {
  const products = Array.from({ length: 1_000 }, (_, i) => aProduct({ sku: `bulk-${i}`, units: 5, shardCount: 2 }));

  const result = await stock("load", catalogFile("bulk.json", products));

  expect(result.code).toBe(0);
  expect(result.stderr).toMatch(/Loading products: 1000 done/);
  const items = await scanAll(table);
  expect(items.filter((item) => String(item.sk).startsWith("PRODUCT#bulk-"))).toHaveLength(1_000);
  expect(items.filter((item) => String(item.pk).startsWith("STOCK#bulk-"))).toHaveLength(2_000);
});

test("a catalog path is read relative to where the user ran npm, not services/", async () => {
  catalogFile("relative.json", [aProduct({ sku: "cli-relative", units: 2, shardCount: 1 })]);

  const load = await stockFrom(dir, "load", "relative.json");

  expect(load).toMatchObject({ code: 0, stdout: expect.stringContaining("1 created") });
});

test("status shows the sold-out flag and warns when the flag says sold out while shards hold units", async () => {
  // prepare: a product whose catalog flag disagrees with its shards (as the old belief-based flag left it)
  await stock("load", catalogFile("flagged.json", [aProduct({ sku: "cli-flagged", units: 3, shardCount: 1 })]));
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: productKey("cli-flagged"),
      UpdateExpression: "SET soldOut = :t",
      ExpressionAttributeValues: { ":t": true },
    }),
  );

  // act
  const flagged = await stock("status", "cli-flagged");
  await stock("add", "cli-flagged", "1");
  const cleared = await stock("status", "cli-flagged", "--json");

  // assess
  expect(flagged.stdout).toContain("FLAGGED SOLD OUT");
  expect(flagged.stdout).toMatch(/! cli-flagged is flagged sold out .* hold 3 units/);
  expect(JSON.parse(cleared.stdout)).toEqual([
    expect.objectContaining({ sku: "cli-flagged", soldOut: false, available: 4 }),
  ]);
});
