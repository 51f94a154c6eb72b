import { randomUUID } from "node:crypto";
import { createDocumentClient, readWatchedProducts } from "@flash-sale/services/store";
import { type PurchaseMeter, readPurchaseMeter } from "@flash-sale/services/running-stack";
import { aProduct } from "@flash-sale/services/testing";
import { startLocalStack, type LocalStack } from "../../src/stack";
import { aShopper } from "./support";

/**
 * What `stock watch` reads from a running local stack: the sales tally its stream consumer keeps, and its
 * gateway's meter of refusals and errors (which are not in the table), rewritten every second.
 */

let stack: LocalStack;
beforeAll(async () => {
  // Two purchase slots and a queue of two: a burst is partly shed by the gateway itself (503 TRY_AGAIN).
  stack = await startLocalStack({
    quiet: true,
    say: () => undefined,
    functionLimits: { purchase: { maxInFlight: 2, maxQueue: 2, maxQueueWaitMs: 50 } },
  });
  await stack.loadCatalog([
    aProduct({ sku: "watch-sneaker", units: 2, shardCount: 2 }),
    aProduct({ sku: "watch-burst", units: 1_000, perCustomerLimit: 100 }),
  ]);
});
afterAll(async () => {
  await stack?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, limitMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("a sale and a refusal on the local stack: the tally counts the order, the meter the refusal", async () => {
  const shopper = await aShopper(stack);
  const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });

  const bought = await shopper.post("/purchases", { sku: "watch-sneaker", quantity: 2, idempotencyKey: randomUUID() });
  const refused = await shopper.post("/purchases", { sku: "watch-sneaker", quantity: 1, idempotencyKey: randomUUID() });
  const meter = await until<PurchaseMeter>("the refusal in the meter", async () => {
    const read = readPurchaseMeter(stack.meterFile);
    return read?.refusals[refused.body?.error?.code] ? read : undefined;
  });
  const [watched] = await until("the order in the tally", async () => {
    const products = await readWatchedProducts(doc, stack.tableName, "watch-sneaker");
    return products[0]?.tally.confirmedOrders === 1 ? products : undefined;
  });
  doc.destroy();

  expect([bought.status, refused.status]).toEqual([201, 409]);
  expect(meter).toMatchObject({ refusals: { [refused.body.error.code]: 1 }, errors: 0 });
  expect(watched).toMatchObject({ sku: "watch-sneaker", available: 0, held: 0, sold: 2, loaded: 2 });
  expect(watched?.tally).toMatchObject({ confirmedOrders: 1, confirmedUnits: 2 });
});

test("purchases the gateway sheds (503 TRY_AGAIN before the function runs) count as errors in the meter", async () => {
  const shopper = await aShopper(stack);
  const before = readPurchaseMeter(stack.meterFile)?.errors ?? 0;

  const replies = await Promise.all(
    Array.from({ length: 40 }, () =>
      shopper.post("/purchases", { sku: "watch-burst", quantity: 1, idempotencyKey: randomUUID() }),
    ),
  );
  const errors = replies.filter((reply) => reply.status >= 500).length;
  const meter = await until("the errors in the meter", async () => {
    const read = readPurchaseMeter(stack.meterFile);
    return read && read.errors - before === errors ? read : undefined;
  });

  expect(errors).toBeGreaterThan(0);
  expect(meter.errors - before).toBe(errors);
});
