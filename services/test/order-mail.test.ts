import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { type Mail, type MailSender, UndeliverableMailError } from "../src/domain/mail";
import { createOrderEventsHandler } from "../src/events/order-events-handler";
import { mailClaimKey } from "../src/store/keys";
import { DynamoMailClaims } from "../src/store/mail-claims";
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
import { recordStream } from "./support/stream";
import { createTestTable } from "./support/table";

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
let delivered: DynamoDBRecord[];
let stopPolling: () => Promise<void>;
beforeAll(async () => {
  table = await createTestTable();
  ({ delivered, stop: stopPolling } = await recordStream(table));
});
afterAll(async () => {
  await stopPolling();
  await table.drop();
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
const statusOf = (record: DynamoDBRecord) => record.dynamodb?.NewImage?.status?.S;

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
