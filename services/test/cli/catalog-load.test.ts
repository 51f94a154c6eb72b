import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aProduct, scanAll, stockOf, type TestTable } from "../support/shop";
import { runStockCli, writeCatalogFile } from "../support/stock-cli";
import { createTestTable } from "../support/table";

/** `stock load` against DynamoDB Local: the catalog schema's refusals write nothing, and a shop sells in one currency. */

let table: TestTable;
let dir: string;
beforeAll(async () => {
  table = await createTestTable();
  dir = mkdtempSync(join(tmpdir(), "catalog-load-"));
  // The shop's first products sell in euros.
  const first = await runStockCli(table, ["load", writeCatalogFile(dir, "euros.json", [aProduct({ sku: "cur-eur" })])]);
  expect(first.code).toBe(0);
});
afterAll(async () => {
  await table.drop();
});

const stock = (...args: string[]) => runStockCli(table, args);

test.each([
  [
    "an inherited name as a key",
    (text: string) => text.replace(/^\[\{/, '[{"__proto__": {"isAdmin": true},'),
    "unknown field __proto__",
  ],
  ["a constructor key", (text: string) => text.replace(/^\[\{/, '[{"constructor": "x",'), "unknown field constructor"],
  [
    "a 30 February sale date",
    (text: string) => text.replace(/"saleStartsAt":"[^"]+"/, '"saleStartsAt":"2027-02-30T09:00:00Z"'),
    "saleStartsAt must be an ISO-8601 instant",
  ],
  [
    "a protocol-relative image",
    (text: string) => text.replace(/"imageUrl":"[^"]+"/, '"imageUrl":"//other-host/a.png"'),
    "imageUrl must be an https:// URL with a host",
  ],
])("a file with %s writes nothing and names the product and the field", async (_name, edit, message) => {
  // prepare
  const path = join(dir, `edited-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, edit(JSON.stringify([aProduct({ sku: "cur-bad" })])));
  const before = await scanAll(table);

  // act
  const result = await stock("load", path);

  // assess
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`${path}: product #1 (cur-bad): ${message}`);
  expect(await scanAll(table)).toEqual(before);
});

test("a product in another currency than the table's is refused, naming both, and nothing is written", async () => {
  // prepare
  const file = writeCatalogFile(dir, "dollars.json", [aProduct({ sku: "cur-usd", currency: "USD" })]);
  const before = await scanAll(table);

  // act
  const result = await stock("load", file);

  // assess
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    `${file}: cur-usd: currency USD differs from EUR of cur-eur, already in the table: a shop sells in one currency`,
  );
  expect(await scanAll(table)).toEqual(before);
});

test("a product in the table's currency loads beside the others", async () => {
  // act
  const result = await stock("load", writeCatalogFile(dir, "more-euros.json", [aProduct({ sku: "cur-eur2" })]));

  // assess
  expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("1 created") });
  expect((await stockOf(table, "cur-eur2")).product?.currency).toBe("EUR");
});
