import { StoreUnavailableError } from "../src/domain/ports";
import { freePort } from "@flash-sale/local/ports";
import { createDocumentClient } from "../src/store/client";
import { DynamoShopStore } from "../src/store/dynamo-store";
import { createTestTable, TEST_REGION } from "./support/table";

/** The store's client reports every fault of the engine as StoreUnavailableError, and nothing else. */

test("a refused engine is a StoreUnavailableError on every call of the store, the cause kept", async () => {
  // prepare: nothing listens on this port
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const store = new DynamoShopStore(
    createDocumentClient(
      { region: TEST_REGION, endpoint },
      { connectionTimeoutMs: 500, requestTimeoutMs: 500, maxAttempts: 1 },
    ),
    "any-table",
  );

  // act
  const failures = await Promise.all(
    [store.readCatalogPage(undefined, 200), store.getOrder("s1", "order-0001"), store.listOrders("s1")].map((call) =>
      call.catch((error: unknown) => error),
    ),
  );

  // assess
  for (const failure of failures) {
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(String((failure as Error).message)).toMatch(/ECONNREFUSED/);
  }
});

test("a request the engine refuses as wrong (an unknown table) is not a fault: it stays a bug", async () => {
  const table = await createTestTable();
  const store = new DynamoShopStore(table.doc, `missing-${table.tableName}`);

  const failure = await store.readCatalogPage(undefined, 200).catch((error: unknown) => error);
  await table.drop();

  expect(failure).not.toBeInstanceOf(StoreUnavailableError);
  expect((failure as Error).name).toBe("ResourceNotFoundException");
});
