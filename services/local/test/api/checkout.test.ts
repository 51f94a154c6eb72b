import { randomUUID } from "node:crypto";
import { aProduct, runStockCli } from "@flash-sale/services/testing";
import type { LocalStack } from "../../src/stack";
import { aShopper, type Caller, call, startStack } from "./support";

/**
 * Checkout through the whole local stack: the gateway, the real Stripe adapter and SDK against the payment
 * stand-in, its hosted page and its signed webhooks back to the gateway, and the expiry sweep.
 */

let stack: LocalStack;
let shopper: Caller;

beforeAll(async () => {
  stack = await startStack();
  await stack.loadCatalog([
    aProduct({ sku: "pay-hoodie", checkout: "payment", holdSeconds: 10, units: 5, shardCount: 2, perCustomerLimit: 5 }),
  ]);
  shopper = await aShopper(stack);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function holdOne(): Promise<{ orderId: string; checkoutUrl: string; holdExpiresAt: string }> {
  const reply = await shopper.post("/purchases", { sku: "pay-hoodie", quantity: 1, idempotencyKey: randomUUID() });
  expect(reply.status).toBe(201);
  return reply.body.order;
}

/** Submits the hosted page's form as a browser would. */
async function payWith(checkoutUrl: string, cardNumber: string): Promise<{ status: number; text: string }> {
  const reply = await fetch(checkoutUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ cardNumber }).toString(),
    redirect: "manual",
  });
  return { status: reply.status, text: await reply.text() };
}

/** Polls the order until `done` holds (webhooks and the sweep are asynchronous), at most `limitMs`. */
async function orderWhen(orderId: string, done: (order: any) => boolean, limitMs = 15_000): Promise<any> {
  const until = Date.now() + limitMs;
  for (;;) {
    const reply = await shopper.get(`/orders/${orderId}`);
    if (done(reply.body) || Date.now() > until) return reply.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("a payment product is held with a page on the stand-in; paying with 4242 confirms it through the signed webhook", async () => {
  // prepare
  const order = await holdOne();
  const page = await (await fetch(order.checkoutUrl)).text();

  // act
  const paid = await payWith(order.checkoutUrl, "4242 4242 4242 4242");
  const after = await orderWhen(order.orderId, (each) => each.status !== "PENDING_PAYMENT");

  // assess
  expect(order.checkoutUrl.startsWith(stack.payments.url)).toBe(true);
  expect(page).toMatch(/<label for="card-number">Card number<\/label>/);
  expect(paid.status).toBe(303);
  expect(after).toMatchObject({ status: "CONFIRMED", orderId: order.orderId });
  expect(after.checkoutUrl).toBeUndefined();
});

test("a declined card leaves the order held and says why; the shopper cancels and the unit is back", async () => {
  // prepare
  const order = await holdOne();
  const before = (await shopper.get("/products/pay-hoodie")).body.available;

  // act
  const declined = await payWith(order.checkoutUrl, "4000 0000 0000 0002");
  const noted = await orderWhen(order.orderId, (each) => each.paymentError !== undefined);
  const cancelled = await shopper.post(`/orders/${order.orderId}/cancel`, {});
  const again = await shopper.post(`/orders/${order.orderId}/cancel`, {});

  // assess
  expect(declined.text).toMatch(/declined/i);
  expect(noted).toMatchObject({ status: "PENDING_PAYMENT", paymentError: expect.stringMatching(/declined/i) });
  expect(cancelled).toMatchObject({ status: 200, body: { status: "CANCELLED" } });
  expect(again).toMatchObject({ status: 200, body: { status: "CANCELLED" } });
  const availableAfter = async () => (await shopper.get("/products/pay-hoodie")).body.available;
  const until = Date.now() + 5_000;
  while ((await availableAfter()) !== before + 1 && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await availableAfter()).toBe(before + 1);
});

test("an unpaid hold is returned by the sweep within 5 s of its end", async () => {
  // prepare
  const order = await holdOne();

  // act
  const expired = await orderWhen(order.orderId, (each) => each.status === "EXPIRED", 20_000);

  // assess: seen EXPIRED (polled every 100 ms) within 5 s of the hold's end (the stack sweeps every 2 s)
  const seenAfterMs = Date.now() - Date.parse(order.holdExpiresAt);
  process.stdout.write(`\nhold seen returned ${seenAfterMs} ms after it ended\n`);
  expect(expired.status).toBe("EXPIRED");
  expect(seenAfterMs).toBeLessThan(5_000);
}, 30_000);

test("a webhook that is not signed by the provider is refused with 400 and changes nothing", async () => {
  // prepare
  const order = await holdOne();
  const forged = JSON.stringify({ type: "checkout.session.completed", data: { object: { id: "cs_x" } } });

  // act
  const reply = await call(stack, "POST", "/payments/webhook", undefined, forged, { "stripe-signature": "t=1,v1=00" });

  // assess
  expect(reply).toMatchObject({ status: 400, body: { error: { code: "INVALID_SIGNATURE" } } });
  expect((await shopper.get(`/orders/${order.orderId}`)).body.status).toBe("PENDING_PAYMENT");
});

test("another shopper's order cannot be cancelled (404), and a confirmed one cannot be (409)", async () => {
  // prepare
  const order = await holdOne();
  const stranger = await aShopper(stack);
  await payWith(order.checkoutUrl, "4242424242424242");
  await orderWhen(order.orderId, (each) => each.status === "CONFIRMED");

  // act
  const theirs = await stranger.post(`/orders/${order.orderId}/cancel`, {});
  const paid = await shopper.post(`/orders/${order.orderId}/cancel`, {});

  // assess
  expect(theirs).toMatchObject({ status: 404, body: { error: { code: "ORDER_NOT_FOUND" } } });
  expect(paid).toMatchObject({ status: 409, body: { error: { code: "ORDER_NOT_CANCELLABLE" } } });
});

test("a merchandiser refunds a confirmed order with `stock refund`: refunded at the provider, the unit back on sale", async () => {
  // prepare: a paid order
  const order = await holdOne();
  await payWith(order.checkoutUrl, "4242 4242 4242 4242");
  await orderWhen(order.orderId, (each) => each.status === "CONFIRMED");
  const table = { tableName: stack.tableName, endpoint: stack.dynamoEndpoint };
  const payments = { STRIPE_SECRET_KEY: stack.payments.secretKey, STRIPE_API_URL: stack.payments.url };

  // act
  const run = await runStockCli(table, ["refund", order.orderId], undefined, payments);
  const again = await runStockCli(table, ["refund", order.orderId], undefined, payments);
  const unknown = await runStockCli(table, ["refund", "no-such-order-9"], undefined, payments);

  // assess
  expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining(`Order ${order.orderId}: REFUNDED`) });
  expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining("REFUNDED") });
  expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining("no order 'no-such-order-9'") });
  expect((await shopper.get(`/orders/${order.orderId}`)).body).toMatchObject({
    status: "REFUNDED",
    statusReason: "Refunded by the shop.",
  });
}, 60_000);
