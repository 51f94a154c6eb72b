import type { DynamoDBRecord } from "aws-lambda";
import type { Mail, MailSender } from "../src/domain/mail";
import type { Shop } from "../src/domain/shop";
import { tallyChange } from "../src/domain/sales-tally";
import type { Order } from "../src/domain/types";
import { createOrderEventsHandler } from "../src/events/order-events-handler";
import { readSalesTallies, salesTallyEffect } from "../src/store/sales-tally";
import {
  aCheckoutContainer,
  aContainer,
  aProduct,
  loadProduct,
  newKey,
  RecordingProvider,
  type TestTable,
  webhookOf,
} from "./support/shop";
import { statusOf, tableWithRecordedStream } from "./support/stream";

/**
 * The sales tally `stock watch` reads, kept by the order-events consumer from real records of DynamoDB Local's
 * stream: each (order, event kind) counts once, however often its record comes (twice in a batch, the batch
 * replayed, copies handled at once by separate consumers).
 */

let table: TestTable;
/** Every record the stream has delivered so far. */
const delivered = tableWithRecordedStream((made) => {
  table = made;
});

const quietMail: MailSender = { send: async (_mail: Mail) => undefined };
const consumer = () =>
  createOrderEventsHandler({
    doc: table.doc,
    tableName: table.tableName,
    sender: quietMail,
    effects: [salesTallyEffect(table.doc, table.tableName)],
  });

/** The records of these orders' items once each order's last write (to `status`) is among them. */
async function recordsOf(expected: Record<string, string>): Promise<DynamoDBRecord[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const records = delivered.filter((record) =>
      Object.hasOwn(expected, record.dynamodb?.Keys?.sk?.S?.slice("ORDER#".length) ?? ""),
    );
    const reached = Object.entries(expected).every(([orderId, status]) =>
      records.some((record) => record.dynamodb?.Keys?.sk?.S === `ORDER#${orderId}` && statusOf(record) === status),
    );
    if (reached) return records;
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for the records of ${Object.keys(expected).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function hold(shop: Shop, sku: string, quantity = 1): Promise<{ orderId: string; shopper: string }> {
  const orderId = newKey();
  const shopper = `shopper-${newKey()}`;
  const result = await shop.purchase({ shopper, sku, quantity, idempotencyKey: orderId });
  if (!result.ok) throw new Error(result.message);
  return { orderId, shopper };
}

/**
 * Each sale runs 10 minutes later on the shop's clock than the one before: the expiry sweep never goes back over
 * minutes it has swept, so a later sale's holds must end after an earlier sale's sweep.
 */
let sales = 0;

/** A payment product's orders in every state, and an instant product's: the records of all their writes. */
async function aSale() {
  const start = ++sales * 10 * 60_000;
  let offsetMs = start;
  const shop = aCheckoutContainer(table, new RecordingProvider(), {
    clock: () => Date.now() + offsetMs,
    snapshotTtlMs: 0,
  });
  const held = await loadProduct(table, aProduct({ checkout: "payment", holdSeconds: 60, units: 20 }));
  const instant = await loadProduct(table, aProduct({ units: 20 }));
  const paid = await hold(shop, held.sku, 2);
  const expired = await hold(shop, held.sku);
  const cancelled = await hold(shop, held.sku);
  await shop.applyPaymentWebhook(
    webhookOf({
      kind: "paid",
      eventId: `evt_${paid.orderId}`,
      orderId: paid.orderId,
      shopper: paid.shopper,
      paymentId: `pi_${paid.orderId}`,
      amountCents: 2 * held.priceCents,
      currency: held.currency,
    }),
  );
  await shop.cancelOrder(cancelled.shopper, cancelled.orderId);
  offsetMs += 3 * 60_000;
  await shop.sweepHolds();
  offsetMs = start;
  const pending = await hold(shop, held.sku, 3);
  const bought = await hold(aContainer(table), instant.sku, 2);
  const records = await recordsOf({
    [paid.orderId]: "CONFIRMED",
    [expired.orderId]: "EXPIRED",
    [cancelled.orderId]: "CANCELLED",
    [pending.orderId]: "PENDING_PAYMENT",
    [bought.orderId]: "CONFIRMED",
  });
  return { held: held.sku, instant: instant.sku, records };
}

const EXPECTED = {
  held: {
    heldOrders: 4,
    heldUnits: 3,
    confirmedOrders: 1,
    confirmedUnits: 2,
    expiredOrders: 1,
    cancelledOrders: 1,
    refundedOrders: 0,
  },
  instant: { heldOrders: 0, heldUnits: 0, confirmedOrders: 1, confirmedUnits: 2, expiredOrders: 0 },
};

test("each order event counts once: every record twice in a batch, and the batch replayed", async () => {
  const sale = await aSale();
  const handle = consumer();

  const first = await handle({ Records: [...sale.records, ...sale.records] });
  const replay = await handle({ Records: sale.records });

  expect([first.batchItemFailures, replay.batchItemFailures]).toEqual([[], []]);
  const tallies = await readSalesTallies(table.doc, table.tableName, [sale.held, sale.instant]);
  expect(tallies.get(sale.held)).toMatchObject(EXPECTED.held);
  expect(tallies.get(sale.instant)).toMatchObject(EXPECTED.instant);
}, 30_000);

test("copies of a batch handled at once by separate consumers count once, after their redeliveries too", async () => {
  const sale = await aSale();

  const answers = await Promise.all(Array.from({ length: 4 }, () => consumer()({ Records: sale.records })));
  // A copy that lost a transaction to another reports a record failed; the stream delivers from it again.
  for (const answer of answers) {
    let failures = answer.batchItemFailures;
    for (let tries = 0; failures.length > 0; tries++) {
      if (tries > 20) throw new Error("a record kept failing");
      const from = sale.records.findIndex((record) => record.dynamodb?.SequenceNumber === failures[0]?.itemIdentifier);
      failures = (await consumer()({ Records: sale.records.slice(from) })).batchItemFailures;
    }
  }

  const tallies = await readSalesTallies(table.doc, table.tableName, [sale.held, sale.instant]);
  expect(tallies.get(sale.held)).toMatchObject(EXPECTED.held);
  expect(tallies.get(sale.instant)).toMatchObject(EXPECTED.instant);
}, 30_000);

test("a product nobody bought has an all-zero tally (no items yet)", async () => {
  const product = await loadProduct(table, aProduct());

  const tallies = await readSalesTallies(table.doc, table.tableName, [product.sku]);

  expect(tallies.get(product.sku)).toMatchObject({ confirmedOrders: 0, heldUnits: 0 });
});

test.each([
  ["held", undefined, { heldOrders: 1, heldUnits: 2 }],
  ["confirmed", undefined, { confirmedOrders: 1, confirmedUnits: 2 }],
  ["confirmed", "PENDING_PAYMENT", { confirmedOrders: 1, confirmedUnits: 2, heldUnits: -2 }],
  ["confirmed", "EXPIRED", { confirmedOrders: 1, confirmedUnits: 2 }],
  ["expired", "PENDING_PAYMENT", { expiredOrders: 1, heldUnits: -2 }],
  ["cancelled", "PENDING_PAYMENT", { cancelledOrders: 1, heldUnits: -2 }],
  ["refunded", "CONFIRMED", { refundedOrders: 1, refundedUnits: 2 }],
  ["refunded", "EXPIRED", { refundedOrders: 1 }],
] as const)("a %s event from %s adds %j", (kind, from, change) => {
  const order = { orderId: "o-1", sku: "s", quantity: 2, status: "CONFIRMED" } as Order;

  expect(tallyChange({ kind, shopper: "ana", order, ...(from ? { from } : {}) })).toEqual(change);
});
