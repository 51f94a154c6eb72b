import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type PaymentStandin, startPaymentStandin } from "@flash-sale/local/payment-standin";
import type { Shop } from "../../src/domain/shop";
import { createStripeProvider } from "../../src/payments";
import { orderKey, shardKey } from "../../src/store/keys";
import { aCheckoutContainer, aProduct, loadProduct, newKey, scanAll, type TestTable } from "../support/shop";
import { runStockCli } from "../support/stock-cli";
import { createTestTable } from "../support/table";

/**
 * `stock reconcile` run as a merchandiser runs it, against DynamoDB Local and the payment stand-in: sales
 * made through the real Stripe adapter and paid on the stand-in's page, its webhooks applied by a shop, then
 * mismatches planted by hand. Each test has its own product and reconciles only that one.
 */
const SECRET_KEY = "sk_test_reconcile";
const WEBHOOK_SECRET = "whsec_reconcile";
/** Orders with this prefix are paid at the provider but never heard of by the shop. */
const STRAY = "stray-";

let table: TestTable;
let dataDir: string;
let standin: PaymentStandin;
let receiver: Server;
let shop: Shop;
beforeAll(async () => {
  table = await createTestTable();
  dataDir = mkdtempSync(join(tmpdir(), "reconcile-cli-"));
  // The shop's webhook endpoint: verifies and applies each event, as the deployed function does.
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const signature = request.headers["stripe-signature"] as string | undefined;
      const applied = body.includes(`"orderId":"${STRAY}`)
        ? Promise.resolve()
        : shop.applyPaymentWebhook({ rawBody: body, signature });
      applied.then(
        () => response.writeHead(200).end(),
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
  standin = await startPaymentStandin({
    dataDir,
    webhookUrl: () => webhookUrl,
    webhookSecret: WEBHOOK_SECRET,
    secretKey: SECRET_KEY,
  });
  shop = aCheckoutContainer(table, provider(), { snapshotTtlMs: 0 });
});
afterAll(async () => {
  await standin?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await table?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const provider = () =>
  createStripeProvider({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, ...standin.endpoint });

/** The real CLI, pointed at this table and, as for a deployed table, at the stand-in in place of Stripe. */
const reconcile = (...args: string[]) =>
  runStockCli(table, ["reconcile", ...args], undefined, { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_API_URL: standin.url });

const paymentProduct = (sku: string) =>
  loadProduct(
    table,
    aProduct({ sku, checkout: "payment", holdSeconds: 600, shardCount: 4, units: 20, perCustomerLimit: 2 }),
  );

/** Holds one unit; with `pay`, pays it on the stand-in's page and waits until the webhook confirmed it. */
async function sell(sku: string, pay = true) {
  const shopper = `shopper-${newKey()}`;
  const result = await shop.purchase({ shopper, sku, quantity: 1, idempotencyKey: newKey() });
  if (!result.ok || !result.order.checkoutUrl) throw new Error(`purchase refused: ${JSON.stringify(result)}`);
  const { orderId, checkoutUrl } = result.order;
  if (pay) {
    await fetch(checkoutUrl, { method: "POST", body: "cardNumber=4242424242424242", redirect: "manual" });
    await statusBecomes(shopper, orderId, "CONFIRMED");
  }
  return { shopper, orderId };
}

async function statusBecomes(shopper: string, orderId: string, status: string): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    const items = await scanAll(table);
    if (items.some((item) => item.orderId === orderId && item.shopper === shopper && item.status === status)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`order ${orderId} never became ${status}`);
}

test("a clean sale (paid orders and a hold awaiting payment) passes: exit 0, no mismatch", async () => {
  // prepare
  await paymentProduct("rc-clean");
  await sell("rc-clean");
  await sell("rc-clean");
  await sell("rc-clean", false);

  // act
  const text = await reconcile("rc-clean");
  const json = await reconcile("rc-clean", "--json");

  // assess
  expect(text).toMatchObject({ code: 0, stdout: expect.stringContaining("No mismatch") });
  expect(text.stdout).toContain("2 sold, 1 held");
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, orders: 3, payments: 2, mismatches: [] });
}, 60_000);

test("an order CONFIRMED without a captured payment is named, with what to do: exit 1", async () => {
  // prepare: a hold marked CONFIRMED by hand (its expiry entry removed), nobody paid
  await paymentProduct("rc-unpaid");
  await sell("rc-unpaid");
  const { shopper, orderId } = await sell("rc-unpaid", false);
  const hold = (await scanAll(table)).find((item) => item.type === "HOLD" && item.orderId === orderId)!;
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: hold.pk, sk: hold.sk } }));
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: orderKey(shopper, orderId),
      UpdateExpression: "SET #status = :confirmed",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":confirmed": "CONFIRMED" },
    }),
  );

  // act
  const text = await reconcile("rc-unpaid");
  const json = await reconcile("rc-unpaid", "--json");

  // assess
  expect(text.code).toBe(1);
  expect(text.stdout).toContain(`payment-missing (rc-unpaid, order ${orderId})`);
  expect(text.stdout).toContain(`CONFIRMED order ${orderId} has no paid session`);
  expect(text.stdout).toContain(`do:    find order ${orderId}'s payment at the provider`);
  expect(JSON.parse(json.stdout).mismatches).toEqual([
    expect.objectContaining({ invariant: "payment-missing", sku: "rc-unpaid", orderId }),
  ]);
}, 60_000);

test("a paid checkout with no order is named with the payment to refund: exit 1", async () => {
  // prepare: a clean sale, and a checkout paid at the provider for an order the shop never made
  await paymentProduct("rc-orphan");
  await sell("rc-orphan");
  const strayId = `${STRAY}${newKey()}`;
  const checkout = await provider().createCheckout({
    orderId: strayId,
    shopper: "nobody",
    sku: "rc-orphan",
    productName: "Stray",
    quantity: 1,
    totalCents: 1_500,
    currency: "EUR",
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    successUrl: "http://shop.example/ok",
    cancelUrl: "http://shop.example/cancel",
  });
  await fetch(checkout.url, { method: "POST", body: "cardNumber=4242424242424242", redirect: "manual" });

  // act
  const run = await reconcile("rc-orphan");

  // assess
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`payment-orphan (rc-orphan, order ${strayId})`);
  expect(run.stdout).toContain(`session ${checkout.id} was paid 1500 cents for order ${strayId}, which does not exist`);
  expect(run.stdout).toMatch(/do: {4}refund payment pi_\w+ at the provider \(no order\)/);
}, 60_000);

test("a shard off by one is named with loaded = available + held + sold and the shards: exit 1", async () => {
  // prepare: a clean sale, then one shard given a unit nobody loaded
  await paymentProduct("rc-shard");
  await sell("rc-shard");
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: shardKey("rc-shard", 3),
      UpdateExpression: "ADD #units :one",
      ExpressionAttributeNames: { "#units": "units" },
      ExpressionAttributeValues: { ":one": 1 },
    }),
  );

  // act
  const run = await reconcile("rc-shard");

  // assess
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("1 mismatch:");
  expect(run.stdout).toContain("orders-match-stock (rc-shard)");
  expect(run.stdout).toContain("loaded = available + held + sold fails by 1");
}, 60_000);

test("usage errors exit 2; --help describes the command", async () => {
  const bad = await reconcile("--bogus");
  const help = await reconcile("--help");

  expect(bad.code).toBe(2);
  expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining("npm run stock -- reconcile [sku]") });
}, 60_000);
