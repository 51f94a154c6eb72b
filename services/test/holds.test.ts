import { randomUUID } from "node:crypto";
import { type PaymentEvent, PaymentProviderUnavailableError } from "../src/domain/payments";
import type { Shop } from "../src/domain/shop";
import type { Order, PurchaseResult } from "../src/domain/types";
import type { NewProduct } from "../src/store/merchandising";
import { readStockStatus } from "../src/store/stock-admin";
import {
  aCheckoutContainer,
  aProduct,
  loadProduct,
  newKey,
  RecordingProvider,
  scanAll,
  type TestTable,
  webhookOf,
} from "./support/shop";
import { createTestTable } from "./support/table";

/**
 * Held units and payment against DynamoDB Local (the provider is a recording double at the port; the
 * Stripe adapter and the stand-in are tested apart): every hold ends exactly once, whatever order the
 * webhook, the sweep, a cancel and their retries arrive in, and invariants 1-8 hold after each race.
 */

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

/** A container whose clock a test can move forward (to let holds run out). */
function aShop(provider = new RecordingProvider()) {
  let offsetMs = 0;
  const shop = aCheckoutContainer(table, provider, { clock: () => Date.now() + offsetMs, snapshotTtlMs: 0 });
  return {
    shop,
    provider,
    later: (ms: number) => {
      offsetMs += ms;
    },
  };
}

const aPaymentProduct = (overrides: Partial<NewProduct> = {}) =>
  aProduct({ checkout: "payment", holdSeconds: 30, shardCount: 2, units: 10, perCustomerLimit: 2, ...overrides });

async function buy(shop: Shop, sku: string, shopper = `shopper-${randomUUID()}`, quantity = 1) {
  const result = await shop.purchase({ shopper, sku, quantity, idempotencyKey: newKey() });
  if (!result.ok) throw new Error(`purchase refused: ${result.code} ${result.message}`);
  return { shopper, order: result.order };
}

const paid = (
  shopper: string,
  order: Order,
  paymentId = `pi_${order.orderId}`,
): Extract<PaymentEvent, { kind: "paid" }> => ({
  kind: "paid",
  eventId: `evt_${randomUUID()}`,
  orderId: order.orderId,
  shopper,
  paymentId,
  amountCents: order.totalCents,
  currency: order.currency,
});

/** Invariants 1-3, 6 and 7, read straight from the table and the provider's refunds. */
async function expectInvariants(sku: string, provider: RecordingProvider) {
  const items = await scanAll(table);
  const shards = items.filter((item) => String(item.pk).startsWith(`STOCK#${sku}#`)).map((item) => Number(item.units));
  const orders = items.filter((item) => item.type === "ORDER" && item.sku === sku);
  const product = items.find((item) => item.sk === `PRODUCT#${sku}`)!;
  const units = (status: string) =>
    orders.filter((order) => order.status === status).reduce((sum, order) => sum + Number(order.quantity), 0);
  // 1: no shard negative; loaded = available + held + sold (refunded units back only while the sale is open)
  expect(shards.every((shard) => shard >= 0)).toBe(true);
  const available = shards.reduce((sum, shard) => sum + shard, 0);
  expect(available + units("PENDING_PAYMENT") + units("CONFIRMED")).toBe(Number(product.loadedUnits));
  // 3: every shopper's allowance counts exactly their held and confirmed units
  for (const limit of items.filter((item) => item.sk === `LIMIT#${sku}`)) {
    const shopper = String(limit.pk).slice("SHOPPER#".length);
    const theirs = orders.filter(
      (order) => order.shopper === shopper && (order.status === "PENDING_PAYMENT" || order.status === "CONFIRMED"),
    );
    expect(Number(limit.units)).toBe(theirs.reduce((sum, order) => sum + Number(order.quantity), 0));
  }
  // 6: a hold is in the expiry index exactly while its order is pending
  const indexed = new Set(items.filter((item) => item.type === "HOLD").map((item) => String(item.orderId)));
  for (const order of orders) expect(indexed.has(String(order.orderId))).toBe(order.status === "PENDING_PAYMENT");
  // 7: every confirmed order has its payment; every refund belongs to a refunded order or a duplicate payment
  for (const order of orders.filter((each) => each.status === "CONFIRMED")) expect(order.paymentId).toBeDefined();
  for (const refund of provider.refunds) {
    const order = orders.find((each) => each.orderId === refund.orderId);
    expect(order?.status === "REFUNDED" || order?.paymentId !== refund.paymentId).toBe(true);
  }
  if (Number(available) > 0) expect(product.soldOut).not.toBe(true);
  return { available, held: units("PENDING_PAYMENT"), sold: units("CONFIRMED"), orders };
}

test("a payment product's purchase holds the units and answers with the hosted payment page", async () => {
  // prepare
  const { shop, provider } = aShop();
  const product = await loadProduct(table, aPaymentProduct({ priceCents: 34_900 }));

  // act
  const before = Date.now();
  const { order } = await buy(shop, product.sku, "holder", 2);

  // assess
  expect(order.status).toBe("PENDING_PAYMENT");
  expect(Date.parse(order.holdExpiresAt!) - before).toBeGreaterThanOrEqual(29_000);
  expect(Date.parse(order.holdExpiresAt!) - before).toBeLessThanOrEqual(31_000);
  expect(order.checkoutUrl).toBe(`https://pay.example/${order.orderId}`);
  expect(provider.sessions.get(order.orderId)).toMatchObject({
    totalCents: 69_800,
    currency: "EUR",
    quantity: 2,
    shopper: "holder",
    expiresAt: order.holdExpiresAt,
    successUrl: `http://shop.example/orders/${order.orderId}`,
  });
  expect(await expectInvariants(product.sku, provider)).toMatchObject({ available: 8, held: 2, sold: 0 });
  expect(await readStockStatus(table.doc, table.tableName, product.sku)).toEqual([
    expect.objectContaining({ loaded: 10, available: 8, held: 2, sold: 0, orders: 1 }),
  ]);
});

test("the paid webhook confirms the order once; the provider's retries change nothing", async () => {
  // prepare
  const { shop, provider } = aShop();
  const product = await loadProduct(table, aPaymentProduct());
  const { shopper, order } = await buy(shop, product.sku);
  const event = paid(shopper, order);

  // act
  const outcomes = await Promise.all([1, 2, 3].map(() => shop.applyPaymentWebhook(webhookOf(event))));

  // assess
  expect(outcomes.filter((outcome) => outcome === "confirmed")).toHaveLength(1);
  expect((await shop.getOrder(shopper, order.orderId))?.status).toBe("CONFIRMED");
  expect((await shop.getOrder(shopper, order.orderId))?.checkoutUrl).toBeUndefined();
  expect(provider.refunds).toEqual([]);
  expect(await expectInvariants(product.sku, provider)).toMatchObject({ held: 0, sold: 1 });
});

test("a webhook without a valid signature is refused and writes nothing", async () => {
  // prepare
  const { shop, provider } = aShop();
  const product = await loadProduct(table, aPaymentProduct());
  const { shopper, order } = await buy(shop, product.sku);

  // act
  const attempt = shop.applyPaymentWebhook({ rawBody: JSON.stringify(paid(shopper, order)), signature: "forged" });

  // assess
  await expect(attempt).rejects.toThrow("No signatures found");
  expect((await shop.getOrder(shopper, order.orderId))?.status).toBe("PENDING_PAYMENT");
  await expectInvariants(product.sku, provider);
});

test("cancelling gives the units and the allowance back; again is a no-op; a paid or another's order cannot be", async () => {
  // prepare: a limit of 1, so the allowance coming back is visible
  const { shop, provider } = aShop();
  const product = await loadProduct(table, aPaymentProduct({ perCustomerLimit: 1 }));
  const { shopper, order } = await buy(shop, product.sku);

  // act
  const cancelled = await shop.cancelOrder(shopper, order.orderId);
  const again = await shop.cancelOrder(shopper, order.orderId);
  const stranger = await shop.cancelOrder("someone-else", order.orderId);
  const rebought = await buy(shop, product.sku, shopper);
  await shop.applyPaymentWebhook(webhookOf(paid(shopper, rebought.order)));
  const paidOne = await shop.cancelOrder(shopper, rebought.order.orderId);

  // assess
  expect(cancelled).toMatchObject({ ok: true, order: { status: "CANCELLED" } });
  expect(again).toMatchObject({ ok: true, order: { status: "CANCELLED" } });
  expect(stranger).toMatchObject({ ok: false, code: "ORDER_NOT_FOUND" });
  expect(paidOne).toMatchObject({ ok: false, code: "ORDER_NOT_CANCELLABLE" });
  expect(await expectInvariants(product.sku, provider)).toMatchObject({ available: 9, held: 0, sold: 1 });
});

test("the sweep returns held units once the hold runs out, clears the sold-out flag, and they sell again", async () => {
  // prepare: 2 units, both held, so the product sells out
  const { shop, provider, later } = aShop();
  const product = await loadProduct(table, aPaymentProduct({ units: 2, shardCount: 1, perCustomerLimit: 1 }));
  const first = await buy(shop, product.sku);
  await buy(shop, product.sku);
  const refused = await shop.purchase({ shopper: "late", sku: product.sku, quantity: 1, idempotencyKey: newKey() });
  expect(refused).toMatchObject({ ok: false, code: "SOLD_OUT" });

  // act: 31 s later, the sweep runs twice (the second finds nothing)
  later(31_000);
  const swept = await shop.sweepHolds();
  const sweptAgain = await shop.sweepHolds();
  const resold = await shop.purchase({ shopper: "late", sku: product.sku, quantity: 1, idempotencyKey: newKey() });

  // assess
  expect(swept.expired).toBeGreaterThanOrEqual(2); // earlier tests' holds of other products may expire too
  expect(sweptAgain.expired).toBe(0);
  expect((await shop.getOrder(first.shopper, first.order.orderId))?.status).toBe("EXPIRED");
  expect(resold).toMatchObject({ ok: true, order: { status: "PENDING_PAYMENT" } });
  expect(await expectInvariants(product.sku, provider)).toMatchObject({ available: 1, held: 1, sold: 0 });
});

test("a hold filed by a container whose clock runs behind the sweeper's is still swept", async () => {
  // prepare: a sweeper 90 s ahead runs first and moves the cursor; then a container on time holds a unit
  const product = await loadProduct(table, aPaymentProduct({ units: 1, shardCount: 1 }));
  const ahead = aShop();
  ahead.later(90_000);
  await ahead.shop.sweepHolds();
  const { shop, provider, later } = aShop(ahead.provider);
  const { shopper, order } = await buy(shop, product.sku);

  // act: the hold runs out, and the container on time sweeps
  later(31_000);
  await shop.sweepHolds();

  // assess
  expect((await shop.getOrder(shopper, order.orderId))?.status).toBe("EXPIRED");
  expect(await expectInvariants(product.sku, provider)).toMatchObject({ available: 1, held: 0 });
});

test.each([
  ["the units are still there: confirmed again", 5, "CONFIRMED", 0],
  ["the units are gone: refunded at once", 1, "REFUNDED", 1],
])("a payment after the hold was returned, when %s", async (_name, units, status, refunds) => {
  // prepare: a hold runs out and is returned; with 1 unit, someone else then buys and pays for it
  const { shop, provider, later } = aShop();
  const product = await loadProduct(table, aPaymentProduct({ units, shardCount: 1, perCustomerLimit: 1 }));
  const { shopper, order } = await buy(shop, product.sku);
  later(31_000);
  await shop.sweepHolds();
  const other = await buy(shop, product.sku);
  await shop.applyPaymentWebhook(webhookOf(paid(other.shopper, other.order)));

  // act
  const outcome = await shop.applyPaymentWebhook(webhookOf(paid(shopper, order)));
  const replay = await shop.applyPaymentWebhook(webhookOf(paid(shopper, order)));

  // assess
  const after = await shop.getOrder(shopper, order.orderId);
  expect(after?.status).toBe(status);
  expect(after?.statusReason).toMatch(/after the hold ended/);
  expect(outcome).toBe(status === "CONFIRMED" ? "confirmed-late" : "refunded-late");
  expect(replay).toBe("already-applied");
  expect(provider.refunds).toHaveLength(refunds);
  await expectInvariants(product.sku, provider);
});

test("a late payment whose refund fails answers 'try again' (503), already marked refunded; the provider's retry refunds it", async () => {
  // prepare: a returned hold whose unit someone else bought; the provider cannot refund for now
  const { shop, provider, later } = aShop();
  const product = await loadProduct(table, aPaymentProduct({ units: 1, shardCount: 1, perCustomerLimit: 1 }));
  const { shopper, order } = await buy(shop, product.sku);
  later(31_000);
  await shop.sweepHolds();
  await buy(shop, product.sku);
  provider.failRefunds = true;

  // act
  const first = shop.applyPaymentWebhook(webhookOf(paid(shopper, order)));
  await expect(first).rejects.toBeInstanceOf(PaymentProviderUnavailableError);
  provider.failRefunds = false;
  const retried = await shop.applyPaymentWebhook(webhookOf(paid(shopper, order)));

  // assess
  expect(retried).toBe("already-applied");
  expect((await shop.getOrder(shopper, order.orderId))?.status).toBe("REFUNDED");
  expect(provider.refunds).toEqual([{ paymentId: `pi_${order.orderId}`, orderId: order.orderId }]);
  await expectInvariants(product.sku, provider);
});

test("a second payment for a confirmed order is refunded, the first kept; a decline only notes the reason", async () => {
  // prepare
  const { shop, provider } = aShop();
  const product = await loadProduct(table, aPaymentProduct());
  const { shopper, order } = await buy(shop, product.sku);

  // act: a decline, then two payments (reordered deliveries of two sessions' events)
  await shop.applyPaymentWebhook(
    webhookOf({
      kind: "declined",
      eventId: "evt_d",
      orderId: order.orderId,
      shopper,
      reason: "Your card was declined.",
    }),
  );
  const noted = await shop.getOrder(shopper, order.orderId);
  await shop.applyPaymentWebhook(webhookOf(paid(shopper, order, "pi_first")));
  const second = await shop.applyPaymentWebhook(webhookOf(paid(shopper, order, "pi_second")));

  // assess
  expect(noted).toMatchObject({ status: "PENDING_PAYMENT", paymentError: "Your card was declined." });
  expect(second).toBe("refunded-duplicate");
  expect(provider.refunds).toEqual([{ paymentId: "pi_second", orderId: order.orderId }]);
  expect((await shop.getOrder(shopper, order.orderId))?.status).toBe("CONFIRMED");
  await expectInvariants(product.sku, provider);
});

test("a payment of the wrong amount is refunded and never confirms the goods", async () => {
  // prepare
  const { shop, provider } = aShop();
  const product = await loadProduct(table, aPaymentProduct());
  const { shopper, order } = await buy(shop, product.sku);

  // act
  const outcome = await shop.applyPaymentWebhook(webhookOf({ ...paid(shopper, order), amountCents: 1 }));

  // assess
  expect(outcome).toBe("refunded-duplicate");
  expect((await shop.getOrder(shopper, order.orderId))?.status).toBe("PENDING_PAYMENT");
  expect(provider.refunds).toHaveLength(1);
});

test("webhooks racing the sweep and cancels end every hold exactly once (invariants 1-7 after the race)", async () => {
  // prepare: 12 holds of one product, all due
  const { shop, provider, later } = aShop();
  const product = await loadProduct(table, aPaymentProduct({ units: 16, shardCount: 4, perCustomerLimit: 1 }));
  const holds = await Promise.all(Array.from({ length: 12 }, () => buy(shop, product.sku)));
  later(31_000);
  const other = aShop(provider); // a second container, as in AWS
  other.later(31_000);

  // act: every order's payment twice (two containers), a cancel for a third of them, and a sweep in each
  // container, all at once, each started after a random pause of up to 300 ms so they interleave
  const jittered = <T>(move: () => Promise<T>) =>
    new Promise((resolve) => setTimeout(resolve, Math.random() * 300)).then(move);
  const races = [
    ...holds.map(({ shopper, order }) => jittered(() => shop.applyPaymentWebhook(webhookOf(paid(shopper, order))))),
    ...holds.map(({ shopper, order }) =>
      jittered(() => other.shop.applyPaymentWebhook(webhookOf(paid(shopper, order)))),
    ),
    ...holds
      .filter((_, i) => i % 3 === 0)
      .map(({ shopper, order }) => jittered(() => other.shop.cancelOrder(shopper, order.orderId))),
    jittered(() => shop.sweepHolds()),
    jittered(() => other.shop.sweepHolds()),
  ];
  await Promise.allSettled(races);

  // assess: every order paid ends CONFIRMED (on time or taken again: 16 units suffice) and nothing is held
  const { held, sold, orders } = await expectInvariants(product.sku, provider);
  expect(held).toBe(0);
  expect(sold).toBe(12);
  expect(orders.map((order) => order.status)).toEqual(new Array(12).fill("CONFIRMED"));
  expect(provider.refunds).toEqual([]);
  process.stdout.write(
    `\nrace: ${orders.filter((order) => order.statusReason).length} of 12 paid after their hold was returned and taken again\n`,
  );
});

test("late payments racing new buyers for the returned units: each ends confirmed or refunded, never both", async () => {
  // prepare: 6 units, all held by orders whose holds ran out and were returned by the sweep
  const { shop, provider, later } = aShop();
  const product = await loadProduct(table, aPaymentProduct({ units: 6, shardCount: 2, perCustomerLimit: 1 }));
  const late = await Promise.all(Array.from({ length: 6 }, () => buy(shop, product.sku)));
  later(31_000);
  await shop.sweepHolds();
  const jittered = <T>(move: () => Promise<T>) =>
    new Promise((resolve) => setTimeout(resolve, Math.random() * 300)).then(move);

  // act: the late payments (each delivered twice) and six new shoppers buying, at once
  // Each newcomer keeps trying for a second, as a shopper refreshing a sold-out page would.
  const newcomers = Array.from({ length: 6 }, () =>
    jittered(async () => {
      const request = { shopper: `new-${randomUUID()}`, sku: product.sku, quantity: 1, idempotencyKey: newKey() };
      for (const until = Date.now() + 1_000; Date.now() < until; ) {
        const result = await shop.purchase(request);
        if (result.ok || result.code !== "SOLD_OUT") return result;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return undefined;
    }),
  );
  await Promise.allSettled([
    ...late.flatMap(({ shopper, order }) => [
      jittered(() => shop.applyPaymentWebhook(webhookOf(paid(shopper, order)))),
      jittered(() => shop.applyPaymentWebhook(webhookOf(paid(shopper, order)))),
    ]),
    ...newcomers,
  ]);

  // assess: the late orders are each CONFIRMED or REFUNDED (one refund each), and the units add up
  const { orders, sold, held } = await expectInvariants(product.sku, provider);
  const lateStatuses = late.map(({ order }) => orders.find((each) => each.orderId === order.orderId)?.status);
  expect(lateStatuses.every((status) => status === "CONFIRMED" || status === "REFUNDED")).toBe(true);
  const refunded = lateStatuses.filter((status) => status === "REFUNDED").length;
  expect(provider.refunds).toHaveLength(refunded);
  expect(sold + held).toBeLessThanOrEqual(6);
  process.stdout.write(`\nlate payments: ${6 - refunded} confirmed again, ${refunded} refunded\n`);
});

test("a provider that cannot make the payment page answers TRY_AGAIN with the units held; the retry gets the page", async () => {
  // prepare
  const provider = new RecordingProvider();
  const { shop } = aShop(provider);
  const product = await loadProduct(table, aPaymentProduct());
  const request = { shopper: "retrier", sku: product.sku, quantity: 1, idempotencyKey: newKey() };
  provider.failCheckout = true;

  // act
  const first: PurchaseResult = await shop.purchase(request);
  provider.failCheckout = false;
  const retried = await shop.purchase(request);

  // assess
  expect(first).toMatchObject({ ok: false, code: "TRY_AGAIN" });
  expect(retried).toMatchObject({ ok: true, replayed: true, order: { status: "PENDING_PAYMENT" } });
  expect(retried.ok && retried.order.checkoutUrl).toBe(`https://pay.example/${request.idempotencyKey}`);
  expect(await expectInvariants(product.sku, provider)).toMatchObject({ held: 1 });
});

test("a merchandiser's refund of a confirmed order puts its units back while the sale is open", async () => {
  // prepare
  const { shop, provider } = aShop();
  const product = await loadProduct(table, aPaymentProduct({ perCustomerLimit: 1 }));
  const { shopper, order } = await buy(shop, product.sku);
  await shop.applyPaymentWebhook(webhookOf(paid(shopper, order)));

  // act
  const refunded = await shop.refundOrder(shopper, order.orderId);
  const again = await shop.refundOrder(shopper, order.orderId);

  // assess
  expect(refunded).toMatchObject({ status: "REFUNDED", statusReason: "Refunded by the shop." });
  expect(again?.status).toBe("REFUNDED");
  expect(provider.refunds).toEqual([{ paymentId: `pi_${order.orderId}`, orderId: order.orderId }]);
  expect(await expectInvariants(product.sku, provider)).toMatchObject({ available: 10, held: 0, sold: 0 });
});
