import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError, type PurchaseWrite } from "../src/domain/ports";
import { Shop } from "../src/domain/shop";
import { DynamoShopStore } from "../src/store/dynamo-store";
import { addUnits } from "../src/store/merchandising";
import { productKey } from "../src/store/keys";
import { aContainer, aProduct, loadProduct, newKey, stockOf, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";

/** Invariant 5: no unit is stranded, and nothing says "sold out" unless every shard was seen at 0. */

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

test("six concurrent copies of one purchase in one container get one 201 and five replays, and the other units still sell", async () => {
  // prepare: 4 units in 1 shard; one container whose clock gives every copy the same createdAt
  const product = await loadProduct(table, aProduct({ units: 4, shardCount: 1, perCustomerLimit: 1 }));
  const frozenNow = Date.now();
  const container = aContainer(table, { clock: () => frozenNow });
  const copy = { shopper: "double-clicker", sku: product.sku, quantity: 1, idempotencyKey: newKey() };

  // act
  const copies = await Promise.all(Array.from({ length: 6 }, () => container.purchase(copy)));
  const others = [];
  for (let i = 0; i < 4; i++)
    others.push(
      await container.purchase({ shopper: `next-${i}`, sku: product.sku, quantity: 1, idempotencyKey: newKey() }),
    );

  // assess: one confirmation, five replays of the same order; the 3 remaining units go to the next three shoppers
  expect(
    copies.map((result) => (result.ok ? (result.replayed ? "replayed" : "confirmed") : result.code)).sort(),
  ).toEqual(["confirmed", ...new Array(5).fill("replayed")]);
  expect(new Set(copies.map((result) => (result.ok ? result.order.orderId : undefined)))).toEqual(
    new Set([copy.idempotencyKey]),
  );
  expect(others.map((result) => (result.ok ? "confirmed" : result.code))).toEqual([
    "confirmed",
    "confirmed",
    "confirmed",
    "SOLD_OUT",
  ]);
  const stock = await stockOf(table, product.sku);
  expect({ shards: stock.shards, orders: stock.orders.length, flagged: stock.product?.soldOut }).toEqual({
    shards: [0],
    orders: 4,
    flagged: true,
  });
});

test("when the writes holding the last units fail with an engine fault, the purchases waiting on them take the units", async () => {
  // prepare: 2 units in 1 shard; the container's first two writes hang 300 ms, then fail as a frozen engine's would
  const product = await loadProduct(table, aProduct({ units: 2, shardCount: 1, perCustomerLimit: 1 }));
  const store = new DynamoShopStore(table.doc, table.tableName);
  let faults = 2;
  const writePurchase = store.writePurchase.bind(store);
  store.writePurchase = async (write: PurchaseWrite) => {
    if (faults-- <= 0) return writePurchase(write);
    await new Promise((resolve) => setTimeout(resolve, 300));
    throw new StoreUnavailableError("engine timed out (injected)");
  };
  const container = new Shop(store);
  await container.listProducts();

  // act: the first two take the units; eight more arrive while those writes are under way
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      container
        .purchase({ shopper: `waiting-${i}`, sku: product.sku, quantity: 1, idempotencyKey: newKey() })
        .catch((error: unknown) => error),
    ),
  );

  // assess: the faulted two fail (the storefront retries them), the units go to two who waited, the rest are refused
  const outcomes = results.map((result) =>
    result instanceof StoreUnavailableError
      ? "fault"
      : (result as { ok: boolean; code?: string }).ok
        ? "confirmed"
        : (result as { code: string }).code,
  );
  expect(outcomes.slice(0, 2)).toEqual(["fault", "fault"]);
  expect(outcomes.slice(2).sort()).toEqual([
    "SOLD_OUT",
    "SOLD_OUT",
    "SOLD_OUT",
    "SOLD_OUT",
    "SOLD_OUT",
    "SOLD_OUT",
    "confirmed",
    "confirmed",
  ]);
  expect(Date.now() - started).toBeLessThan(1_500);
  const stock = await stockOf(table, product.sku);
  expect({ shards: stock.shards, orders: stock.orders.length }).toEqual({ shards: [0], orders: 2 });
});

test("a container that believes a refilled product is empty checks every shard, sells what it finds and flags nothing", async () => {
  // prepare: a container with a long-lived snapshot buys the only unit, so it knows the product empty;
  // then a merchandiser adds 3 units, which that container's snapshot has not seen
  const product = await loadProduct(table, aProduct({ units: 1, shardCount: 2, perCustomerLimit: 1 }));
  const container = aContainer(table, { snapshotTtlMs: 3_600_000 });
  const first = await container.purchase({ shopper: "first", sku: product.sku, quantity: 1, idempotencyKey: newKey() });
  await addUnits(table.doc, table.tableName, product.sku, 3);

  // act
  const second = await container.purchase({
    shopper: "second",
    sku: product.sku,
    quantity: 1,
    idempotencyKey: newKey(),
  });

  // assess
  expect([first.ok, second.ok]).toEqual([true, true]);
  const stock = await stockOf(table, product.sku);
  expect({ available: stock.available, flagged: stock.product?.soldOut }).toEqual({ available: 2, flagged: false });
});

test("a sold-out flag is set only when every shard holds 0", async () => {
  // prepare: 2 units over 2 shards; a container sells one, then a second container with its own view sells the other
  const product = await loadProduct(table, aProduct({ units: 2, shardCount: 2, perCustomerLimit: 1 }));
  const [a, b] = [aContainer(table), aContainer(table)];
  await a.purchase({ shopper: "a1", sku: product.sku, quantity: 1, idempotencyKey: newKey() });
  const flaggedWithOneLeft = (await stockOf(table, product.sku)).product?.soldOut;
  await b.purchase({ shopper: "b1", sku: product.sku, quantity: 1, idempotencyKey: newKey() });

  // act: the next shopper on each container is refused
  const refusals = await Promise.all(
    [a, b].map((container, i) =>
      container.purchase({ shopper: `late-${i}`, sku: product.sku, quantity: 1, idempotencyKey: newKey() }),
    ),
  );

  // assess
  expect(flaggedWithOneLeft).toBe(false);
  expect(refusals.map((result) => (result.ok ? "confirmed" : result.code))).toEqual(["SOLD_OUT", "SOLD_OUT"]);
  const stock = await stockOf(table, product.sku);
  expect({ shards: stock.shards, flagged: stock.product?.soldOut }).toEqual({ shards: [0, 0], flagged: true });
});

test("a product wrongly flagged sold out (by an older version) sells again after units are added", async () => {
  // prepare: flag set while a shard holds units, as the old belief-based flag did
  const product = await loadProduct(table, aProduct({ units: 2, shardCount: 1, perCustomerLimit: 5 }));
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: productKey(product.sku),
      UpdateExpression: "SET soldOut = :t",
      ExpressionAttributeValues: { ":t": true },
    }),
  );

  // act
  await addUnits(table.doc, table.tableName, product.sku, 1);
  const result = await aContainer(table).purchase({
    shopper: "after-refill",
    sku: product.sku,
    quantity: 3,
    idempotencyKey: newKey(),
  });

  // assess: all 3 units (2 stranded + 1 added) were sellable
  expect(result.ok).toBe(true);
  expect((await stockOf(table, product.sku)).available).toBe(0);
});

test("a product with 16 shards sells out and is flagged (more shards than DynamoDB Local takes in one transaction)", async () => {
  // prepare
  const product = await loadProduct(table, aProduct({ units: 16, shardCount: 16, perCustomerLimit: 16 }));
  const container = aContainer(table);
  for (let i = 0; i < 16; i++)
    await container.purchase({ shopper: "collector", sku: product.sku, quantity: 1, idempotencyKey: newKey() });

  // act
  const refusal = await container.purchase({
    shopper: "late",
    sku: product.sku,
    quantity: 1,
    idempotencyKey: newKey(),
  });

  // assess
  expect(refusal.ok ? "confirmed" : refusal.code).toBe("SOLD_OUT");
  expect((await stockOf(table, product.sku)).product?.soldOut).toBe(true);
});
