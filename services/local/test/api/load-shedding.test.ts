import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import { startLocalStack, type LocalStack } from "../../src/stack";
import { createDocumentClient } from "@flash-sale/services/store";
import { scanTable } from "@flash-sale/services/store";
import { aShopper, type Caller } from "./support";

/** The local gateway behaves like a Lambda function with a concurrency limit: a burst beyond it is shed at once. */

let stack: LocalStack;
const news: string[] = [];
let shoppers: Caller[];
const SKU = "shed-drill";
beforeAll(async () => {
  stack = await startLocalStack({
    quiet: true,
    warm: true,
    say: (line) => news.push(line),
    functionLimits: { purchase: { maxInFlight: 2, maxQueue: 2, maxQueueWaitMs: 50 } },
  });
  const hour = 3_600_000;
  await stack.loadCatalog([
    {
      sku: SKU,
      name: "Shedding drill",
      description: "More buyers than slots",
      imageUrl: "/x.png",
      priceCents: 100,
      currency: "EUR",
      saleStartsAt: new Date(Date.now() - hour).toISOString(),
      saleEndsAt: new Date(Date.now() + hour).toISOString(),
      perCustomerLimit: 100,
      shardCount: 4,
      units: 1_000,
    },
  ]);
  shoppers = await Promise.all(Array.from({ length: 4 }, () => aShopper(stack)));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

test("the stack warms DynamoDB Local before serving and says so", () => {
  expect(news.some((line) => line.includes("Warming DynamoDB Local"))).toBe(true);
  expect(news.some((line) => /transactions\/s after [\d.]+ s/.test(line))).toBe(true);
});

test("a burst beyond the purchase function's slots and queue is answered 503 TRY_AGAIN at once, and a shed purchase writes nothing", async () => {
  // act: 60 purchases at once against 2 slots and a queue of 2
  const replies = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const started = performance.now();
      const reply = await shoppers[i % shoppers.length]!.post("/purchases", {
        sku: SKU,
        quantity: 1,
        idempotencyKey: randomUUID(),
      });
      return { ...reply, ms: performance.now() - started };
    }),
  );

  // assess
  const shed = replies.filter((reply) => reply.status === 503);
  const confirmed = replies.filter((reply) => reply.status === 201);
  expect(shed.length).toBeGreaterThan(0);
  expect(confirmed.length).toBeGreaterThan(0);
  expect(shed.length + confirmed.length).toBe(60);
  for (const reply of shed) {
    expect(reply.body.error.code).toBe("TRY_AGAIN");
    expect(reply.headers.get("retry-after")).toBe("1");
  }
  const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
  const orders = (await scanTable(doc, stack.tableName)).filter((item) => item.type === "ORDER" && item.sku === SKU);
  doc.destroy();
  expect(orders).toHaveLength(confirmed.length);
});

test("a burst of new connections, as when a sale opens, is queued by the gateway rather than dropped", async () => {
  // prepare: 1,500 connections opened at once (a dropped SYN is retried only after 1 s, which would put whole seconds into shoppers' answers)
  const port = Number(new URL(stack.apiUrl).port);
  const sockets: Socket[] = [];
  const started = performance.now();

  // act
  const connectedAfterMs = await Promise.all(
    Array.from(
      { length: 1_500 },
      () =>
        new Promise<number>((resolve, reject) => {
          const socket = connect(port, "127.0.0.1");
          sockets.push(socket);
          socket.once("connect", () => resolve(performance.now() - started));
          socket.once("error", reject);
        }),
    ),
  );
  for (const socket of sockets) socket.destroy();

  // assess
  expect(Math.max(...connectedAfterMs)).toBeLessThan(900);
});
