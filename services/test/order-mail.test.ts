import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { type Mail, type MailSender, UndeliverableMailError } from "../src/domain/mail";
import { createOrderEventsHandler } from "../src/events/order-events-handler";
import { ORDER_EVENTS } from "../src/routes";
import { mailClaimKey } from "../src/store/keys";
import { DynamoMailClaims } from "../src/store/mail-claims";
import { PURGE_AT_ATTRIBUTE, STREAM_MARK_DAYS } from "../src/store/purge";
import { salesTallyEffect } from "../src/store/sales-tally";
import { scanTable } from "../src/store/scan";
import { recordActions } from "./support/action-recorder";
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
 * Order mails from real records of DynamoDB Local's stream: exactly one mail per order event, however
 * often its record comes (duplicated in a batch, a batch replayed, copies at once, a send that failed).
 */

class Outbox implements MailSender {
  readonly sent: Mail[] = [];
  failNext = 0;
  async send(mail: Mail): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("mail service unavailable");
    }
    this.sent.push(mail);
  }
}

let table: TestTable;
/** Every record the stream has delivered so far. */
const delivered = tableWithRecordedStream((made) => {
  table = made;
});

async function until<T>(what: string, probe: () => T | undefined, limitMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An instant purchase, and the stream's record of its order item. */
async function aPurchaseRecord(): Promise<{ orderId: string; record: DynamoDBRecord }> {
  const product = await loadProduct(table, aProduct({ name: "Limited sneaker", currency: "EUR", priceCents: 12_999 }));
  const orderId = newKey();
  const result = await aContainer(table).purchase({
    shopper: "ana",
    sku: product.sku,
    quantity: 2,
    idempotencyKey: orderId,
  });
  expect(result.ok).toBe(true);
  const record = await until("the order's record", () =>
    delivered.find((r) => r.dynamodb?.Keys?.sk?.S === `ORDER#${orderId}`),
  );
  return { orderId, record };
}

const consumer = (outbox: Outbox) =>
  createOrderEventsHandler({ doc: table.doc, tableName: table.tableName, sender: outbox });

test("a purchase's record sends one confirmation; the record twice in a batch and the batch replayed send nothing more", async () => {
  const { orderId, record } = await aPurchaseRecord();
  const outbox = new Outbox();
  const handle = consumer(outbox);

  const first = await handle({ Records: [record, record] });
  const replay = await handle({ Records: [record, record] });

  expect(first.batchItemFailures).toEqual([]);
  expect(replay.batchItemFailures).toEqual([]);
  expect(outbox.sent).toHaveLength(1);
  expect(outbox.sent[0]).toMatchObject({ id: `${orderId}#confirmed`, shopper: "ana" });
  expect(outbox.sent[0]?.text).toContain("Total: €259.98");
});

test("copies of one record handled at once by separate consumers send one mail, after their retries too", async () => {
  const { record } = await aPurchaseRecord();
  const outbox = new Outbox();

  const answers = await Promise.all(Array.from({ length: 5 }, () => consumer(outbox)({ Records: [record] })));
  // A copy that met another's fresh claim reports its record failed; the stream delivers it again.
  const retried = answers.filter((answer) => answer.batchItemFailures.length > 0);
  for (const _ of retried) expect((await consumer(outbox)({ Records: [record] })).batchItemFailures).toEqual([]);

  expect(outbox.sent).toHaveLength(1);
});

test("a send that fails reports its record and releases the claim; the redelivery sends the mail once", async () => {
  const { orderId, record } = await aPurchaseRecord();
  const outbox = new Outbox();
  outbox.failNext = 1;
  const handle = consumer(outbox);

  const failed = await handle({ Records: [record] });
  const redelivered = await handle({ Records: [record] });
  await handle({ Records: [record] });

  expect(failed.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }]);
  expect(redelivered.batchItemFailures).toEqual([]);
  expect(outbox.sent.map((mail) => mail.id)).toEqual([`${orderId}#confirmed`]);
});

test("a claim left SENDING by a crashed sender is busy within its lease and taken over after it", async () => {
  const mailId = `${newKey()}#confirmed`;
  let now = Date.now();
  const claims = new DynamoMailClaims(table.doc, table.tableName, () => now, 60_000);

  const crashed = await claims.claim(mailId, "ana");
  now += 30_000;
  const tooSoon = await claims.claim(mailId, "ana");
  now += 31_000;
  const takenOver = await claims.claim(mailId, "ana");
  await claims.markSent(mailId, "ana");
  const afterSent = await claims.claim(mailId, "ana");

  expect([crashed, tooSoon, takenOver, afterSent]).toEqual(["claimed", "busy", "claimed", "sent"]);
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: mailClaimKey("ana", mailId),
    }),
  );
  expect(Item?.state).toBe("SENT");
});

test("a mail that can never go (no address) is given up once, not retried by every copy of its record", async () => {
  const { record } = await aPurchaseRecord();
  let attempts = 0;
  const handle = createOrderEventsHandler({
    doc: table.doc,
    tableName: table.tableName,
    sender: {
      send: async () => {
        attempts++;
        throw new UndeliverableMailError("shopper ana has no e-mail address");
      },
    },
  });

  const first = await handle({ Records: [record] });
  const again = await handle({ Records: [record] });

  expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
  expect(attempts).toBe(1);
});

/** Every record the stream has delivered so far for one order's item. */
const recordsOf = (orderId: string) => delivered.filter((r) => r.dynamodb?.Keys?.sk?.S === `ORDER#${orderId}`);

test("a held order's life through the real lifecycle mails its expiry once, and nothing for the hold itself", async () => {
  let offsetMs = 0;
  const shop = aCheckoutContainer(table, new RecordingProvider(), {
    clock: () => Date.now() + offsetMs,
    snapshotTtlMs: 0,
  });
  const product = await loadProduct(table, aProduct({ checkout: "payment", holdSeconds: 30, name: "Held watch" }));
  const orderId = newKey();
  const held = await shop.purchase({ shopper: "ana", sku: product.sku, quantity: 1, idempotencyKey: orderId });
  offsetMs += 3 * 60_000;
  await shop.sweepHolds();
  const records = await until("the expiry's record", () => {
    const all = recordsOf(orderId);
    return all.some((record) => statusOf(record) === "EXPIRED") ? all : undefined;
  });
  const outbox = new Outbox();

  await consumer(outbox)({ Records: [...records, ...records] });

  expect(held.ok && held.order.status).toBe("PENDING_PAYMENT");
  expect(outbox.sent.map((mail) => mail.subject)).toEqual(["Your hold on Held watch has expired"]);
});

test("a held order paid mails one confirmation", async () => {
  const shop = aCheckoutContainer(table, new RecordingProvider(), { snapshotTtlMs: 0 });
  const product = await loadProduct(table, aProduct({ checkout: "payment", holdSeconds: 60, name: "Paid watch" }));
  const orderId = newKey();
  const held = await shop.purchase({ shopper: "ana", sku: product.sku, quantity: 1, idempotencyKey: orderId });
  if (!held.ok) throw new Error(held.message);
  const payment = {
    kind: "paid" as const,
    eventId: `evt_${orderId}`,
    orderId,
    shopper: "ana",
    paymentId: `pi_${orderId}`,
    amountCents: held.order.totalCents,
    currency: held.order.currency,
  };
  await shop.applyPaymentWebhook(webhookOf(payment));
  const records = await until("the payment's record", () => {
    const all = recordsOf(orderId);
    return all.some((record) => statusOf(record) === "CONFIRMED") ? all : undefined;
  });
  const outbox = new Outbox();

  await consumer(outbox)({ Records: records });
  await consumer(outbox)({ Records: records });

  expect(outbox.sent.map((mail) => mail.id)).toEqual([`${orderId}#confirmed`]);
});

test("the consumer sends only the DynamoDB requests its AWS role is granted (ORDER_EVENTS), and needs each of them", async () => {
  const { record } = await aPurchaseRecord();
  const recorder = recordActions(table.doc);
  const outbox = new Outbox();
  outbox.failNext = 1;
  // As the Lambda entry builds it: the mail, then the sales tally (one transaction: a Put and an Update).
  const handle = createOrderEventsHandler({
    doc: table.doc,
    tableName: table.tableName,
    sender: outbox,
    effects: [salesTallyEffect(table.doc, table.tableName)],
  });

  await handle({ Records: [record] }); // claim, product name, a failed send: the claim released
  await handle({ Records: [record] }); // claim, send, marked sent
  await handle({ Records: [record] }); // a replay: the claim refused, read back as sent

  expect(outbox.sent).toHaveLength(1);
  expect(recorder.take()).toEqual([...ORDER_EVENTS.dynamodbActions].sort());
});

test("the consumer's marks (mail claim, tally marker) are purged by TTL a week on; the order itself never is", async () => {
  const { orderId, record } = await aPurchaseRecord();
  const handle = createOrderEventsHandler({
    doc: table.doc,
    tableName: table.tableName,
    sender: new Outbox(),
    effects: [salesTallyEffect(table.doc, table.tableName)],
  });
  const before = Math.floor(Date.now() / 1000);

  await handle({ Records: [record] });

  const items = (await scanTable(table.doc, table.tableName)).filter((item) => String(item.sk).includes(orderId));
  const byType = new Map(items.map((item) => [item.type, item[PURGE_AT_ATTRIBUTE]]));
  const week = STREAM_MARK_DAYS * 86_400;
  for (const mark of ["MAIL", "TALLIED"]) {
    expect(byType.get(mark)).toBeGreaterThanOrEqual(before + week);
    expect(byType.get(mark)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + week);
  }
  expect(byType.has("ORDER")).toBe(true);
  expect(byType.get("ORDER")).toBeUndefined();
});
