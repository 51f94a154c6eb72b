import type { PurchaseWrite, PurchaseWriteOutcome, ShopStore } from "../src/domain/ports";
import { Shop } from "../src/domain/shop";
import { DynamoShopStore } from "../src/store/dynamo-store";
import { aProduct, loadProduct, newKey, stockOf, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

/**
 * DynamoDB Local has no partition limits, so throttling is injected at the port's edge: writes that
 * touch a throttled shard answer as a throttled TransactWriteItems cancellation would; all others
 * reach the real engine.
 */
function throttlingShards(store: ShopStore, throttled: (shard: number) => boolean) {
  const attempts: number[][] = [];
  const wrapped: ShopStore = Object.assign(Object.create(store) as ShopStore, {
    async writePurchase(write: PurchaseWrite): Promise<PurchaseWriteOutcome> {
      attempts.push(write.takes.map((take) => take.shard));
      const busy = write.takes.filter((take) => throttled(take.shard)).map((take) => take.shard);
      if (busy.length > 0)
        return {
          kind: "cancelled",
          orderExists: false,
          limitReached: false,
          shortShards: [],
          busyShards: busy,
          throttled: true,
        };
      return store.writePurchase(write);
    },
  });
  return { store: wrapped, attempts };
}

const noWait = { sleep: async () => undefined };

test("a throttled shard moves the purchase to another shard", async () => {
  // prepare: shard 0 is hot; random() = 0 makes the first choice shard 0
  const product = await loadProduct(table, aProduct({ units: 8, shardCount: 4 }));
  const { store, attempts } = throttlingShards(new DynamoShopStore(table.doc, table.tableName), (shard) => shard === 0);
  const shop = new Shop(store, { ...noWait, random: () => 0 });

  // act
  const result = await shop.purchase({ shopper: "hopper", sku: product.sku, quantity: 1, idempotencyKey: newKey() });

  // assess
  expect(result.ok).toBe(true);
  expect(attempts[0]).toEqual([0]);
  expect(attempts.at(-1)).not.toContain(0);
  expect((await stockOf(table, product.sku)).shards[0]).toBe(2);
});

test("throttling that persists on every shard is TRY_AGAIN with a retry hint, after a bounded number of attempts", async () => {
  // prepare
  const product = await loadProduct(table, aProduct({ units: 8, shardCount: 4 }));
  const { store, attempts } = throttlingShards(new DynamoShopStore(table.doc, table.tableName), () => true);
  const shop = new Shop(store, { ...noWait, maxAttempts: 5 });

  // act
  const result = await shop.purchase({ shopper: "unlucky", sku: product.sku, quantity: 1, idempotencyKey: newKey() });

  // assess
  expect(result).toMatchObject({ ok: false, code: "TRY_AGAIN", details: { retryAfterSeconds: 1 } });
  expect(attempts).toHaveLength(5);
  expect((await stockOf(table, product.sku)).available).toBe(8);
});
