import { checkProducts } from "@flash-sale/services/catalog";
import { createDocumentClient, scanTable } from "@flash-sale/services/store";
import { aProduct } from "@flash-sale/services/testing";
import { demoCatalog } from "../src/demo-catalog";
import { startLocalStack, type LocalStack } from "../src/stack";

/** The demo catalog and everything the local stack loads pass the catalog's one schema, the one `stock load` uses. */

test("the demo catalog passes the catalog schema", () => {
  expect(checkProducts("demo catalog", demoCatalog(Date.now())).problems).toEqual([]);
});

describe("the local stack's loadCatalog", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ quiet: true, say: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test("refuses a catalog with a bad product, naming it and the field, and writes nothing", async () => {
    // prepare
    const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
    const before = await scanTable(doc, stack.tableName);

    // act
    const loading = stack.loadCatalog([
      aProduct({ sku: "schema-good" }),
      aProduct({ sku: "schema-bad", imageUrl: "//other-host/a.png" }),
    ]);

    // assess
    await expect(loading).rejects.toThrow("product #2 (schema-bad): imageUrl must be an https:// URL with a host");
    expect(await scanTable(doc, stack.tableName)).toEqual(before);
    doc.destroy();
  });
});
