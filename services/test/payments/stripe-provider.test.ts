import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PaymentStandin, startPaymentStandin } from "@flash-sale/local/payment-standin";
import { freePort } from "@flash-sale/local/ports";
import Stripe from "stripe";
import type { CheckoutRequest } from "../../src/domain/payments";
import { createStripeProvider } from "../../src/payments";

/**
 * The Stripe adapter at its two edges: the Checkout Sessions it asks for (through the real SDK, against
 * the local stand-in, read back with the SDK) and the events it reads (bodies signed with the SDK's own
 * test signer, as Stripe signs them).
 */
const SECRET_KEY = "sk_test_adapter";
const WEBHOOK_SECRET = "whsec_adapter";

let dataDir: string;
let standin: PaymentStandin;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "stripe-provider-"));
  // No webhook receiver: these tests read sessions back through the API instead.
  standin = await startPaymentStandin({
    dataDir,
    webhookUrl: () => undefined,
    webhookSecret: WEBHOOK_SECRET,
    secretKey: SECRET_KEY,
  });
});
afterAll(async () => {
  await standin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const provider = () =>
  createStripeProvider({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, ...standin.endpoint });
const stripe = () => new Stripe(SECRET_KEY, { ...standin.endpoint });

let orders = 0;
const anOrder = (overrides: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
  orderId: `order-${process.pid}-${++orders}-${Date.now()}`,
  shopper: "shopper-sub",
  sku: "demo-watch",
  productName: "Demo watch",
  quantity: 1,
  totalCents: 12_900,
  currency: "EUR",
  expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
  successUrl: "http://localhost:4200/orders/o",
  cancelUrl: "http://localhost:4200/orders/o",
  ...overrides,
});

describe("createCheckout", () => {
  test("asks for a one-line payment session of exactly the total, in the lower-case currency, naming the order", async () => {
    const order = anOrder({ quantity: 2, totalCents: 25_800 });

    const checkout = await provider().createCheckout(order);
    const session = await stripe().checkout.sessions.retrieve(checkout.id);

    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 25_800,
      currency: "eur",
      client_reference_id: order.orderId,
      metadata: { orderId: order.orderId, shopper: "shopper-sub", sku: "demo-watch" },
      success_url: order.successUrl,
      cancel_url: order.cancelUrl,
      status: "open",
    });
  });

  test("a total that does not divide by the quantity is charged exactly, as one line for the whole", async () => {
    const checkout = await provider().createCheckout(anOrder({ quantity: 3, totalCents: 1_000 }));

    const session = await stripe().checkout.sessions.retrieve(checkout.id);
    const page = await fetch(checkout.url).then((response) => response.text());

    expect(session.amount_total).toBe(1_000);
    expect(page).toContain("3 × Demo watch");
  });

  test("a hold shorter than Stripe's 30-minute minimum gets Stripe's default expiry (24 h), a longer one ends the session with the hold", async () => {
    const short = await provider().createCheckout(anOrder());
    const longOrder = anOrder({ expiresAt: new Date(Date.now() + 2 * 60 * 60_000).toISOString() });
    const long = await provider().createCheckout(longOrder);

    const shortSession = await stripe().checkout.sessions.retrieve(short.id);
    const longSession = await stripe().checkout.sessions.retrieve(long.id);

    expect(shortSession.expires_at - shortSession.created).toBe(24 * 60 * 60);
    expect(longSession.expires_at).toBe(Math.floor(Date.parse(longOrder.expiresAt) / 1000));
  });

  test("a retry after the hold's end crossed the 30-minute line still gets the first session", async () => {
    // First call: 31 minutes and 1.5 s ahead, so it sets expires_at; the retry 3 s later cannot,
    // and Stripe refuses the key with other parameters: the adapter retries as the first call was made.
    const order = anOrder({ expiresAt: new Date(Date.now() + 31 * 60_000 + 1_500).toISOString() });
    const first = await provider().createCheckout(order);
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const retried = await provider().createCheckout(order);

    expect(retried).toEqual(first);
  });
});

describe("readWebhook", () => {
  const reader = () => createStripeProvider({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
  const ours = { orderId: "o-1", shopper: "s-1", sku: "demo-watch" };
  const event = (type: string, object: Record<string, unknown>) =>
    JSON.stringify({
      id: "evt_1Test",
      object: "event",
      api_version: "2026-11-18.endive",
      created: 1_796_000_000,
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    });
  const signed = (body: string, secret = WEBHOOK_SECRET) =>
    Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
  const read = (body: string) => reader().readWebhook(body, signed(body));
  const session = (fields: Record<string, unknown>) => ({
    id: "cs_test_1",
    object: "checkout.session",
    amount_total: 12_900,
    currency: "eur",
    metadata: ours,
    payment_intent: "pi_1",
    payment_status: "paid",
    status: "complete",
    ...fields,
  });

  test.each(["checkout.session.completed", "checkout.session.async_payment_succeeded"])(
    "%s of a paid session is paid: the payment, amount and currency, and the order from the metadata",
    async (type) => {
      expect(await read(event(type, session({})))).toEqual({
        kind: "paid",
        eventId: "evt_1Test",
        orderId: "o-1",
        shopper: "s-1",
        paymentId: "pi_1",
        amountCents: 12_900,
        currency: "EUR",
      });
    },
  );

  test("a completed session not paid yet (a delayed payment method) is nothing yet", async () => {
    expect(await read(event("checkout.session.completed", session({ payment_status: "unpaid" })))).toBeUndefined();
  });

  test("an expanded payment intent still gives its id", async () => {
    const paid = await read(event("checkout.session.completed", session({ payment_intent: { id: "pi_2" } })));

    expect(paid).toMatchObject({ kind: "paid", paymentId: "pi_2" });
  });

  test("checkout.session.expired is checkout-expired", async () => {
    expect(await read(event("checkout.session.expired", session({ status: "expired", payment_intent: null })))).toEqual(
      {
        kind: "checkout-expired",
        eventId: "evt_1Test",
        orderId: "o-1",
        shopper: "s-1",
      },
    );
  });

  test.each([
    [{ message: "Your card was declined.", code: "card_declined" }, "Your card was declined."],
    [{ code: "expired_card" }, "expired_card"],
    [null, "The payment failed."],
  ])("payment_intent.payment_failed is declined, with the reason Stripe gives (%j)", async (failure, reason) => {
    const intent = { id: "pi_1", object: "payment_intent", metadata: ours, last_payment_error: failure };

    expect(await read(event("payment_intent.payment_failed", intent))).toEqual({
      kind: "declined",
      eventId: "evt_1Test",
      orderId: "o-1",
      shopper: "s-1",
      reason,
    });
  });

  test("other events, and events of payments no order of ours made, are nothing", async () => {
    expect(await read(event("charge.refunded", { id: "ch_1", object: "charge" }))).toBeUndefined();
    expect(await read(event("checkout.session.completed", session({ metadata: {} })))).toBeUndefined();
    expect(await read(event("payment_intent.payment_failed", { id: "pi_1", metadata: {} }))).toBeUndefined();
  });

  test("a paid event of ours without its payment is malformed", async () => {
    await expect(read(event("checkout.session.completed", session({ payment_intent: null })))).rejects.toMatchObject({
      name: "InvalidWebhookError",
    });
  });

  test("a changed body, another secret, no signature or a body that is not JSON are InvalidWebhookError", async () => {
    const body = event("checkout.session.completed", session({}));

    for (const attempt of [
      reader().readWebhook(body.replace("12900", "1"), signed(body)),
      reader().readWebhook(body, signed(body, "whsec_someone_else")),
      reader().readWebhook(body, undefined),
      reader().readWebhook(body, ""),
      reader().readWebhook("not json", signed("not json")),
    ])
      await expect(attempt).rejects.toMatchObject({ name: "InvalidWebhookError" });
  });
});

describe("provider faults", () => {
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  test("nothing listening, or a call past its time limit, fails as a connection error within the limit, with no retry storm", async () => {
    const closedPort = await freePort();
    const held: Socket[] = [];
    const stalled = createServer((socket) => held.push(socket)); // accepts connections, never answers
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    const stalledPort = (stalled.address() as { port: number }).port;
    const at = (port: number) =>
      createStripeProvider({
        secretKey: SECRET_KEY,
        webhookSecret: WEBHOOK_SECRET,
        host: "127.0.0.1",
        port,
        protocol: "http",
        timeoutMs: 300,
        maxNetworkRetries: 0,
      });

    const started = Date.now();
    const refused = await failureOf(at(closedPort).createCheckout(anOrder()));
    const timedOut = await failureOf(at(stalledPort).createCheckout(anOrder()));
    const took = Date.now() - started;
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => stalled.close(() => resolve()));

    expect(refused).toMatchObject({ type: "StripeConnectionError" });
    expect(timedOut).toMatchObject({ type: "StripeConnectionError" });
    expect(took).toBeLessThan(2_000);
  });
});
