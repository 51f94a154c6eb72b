import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStripeProvider } from "@flash-sale/services/payments";
import Stripe from "stripe";
import { type PaymentStandin, startPaymentStandin } from "../src/payment-standin";
import { stripeSignature } from "../src/payment-standin/webhooks";
import { type Delivery, startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

/**
 * The payment stand-in with the real adapter and the real `stripe` SDK pointed at it: the hosted page,
 * the test cards, webhooks (signatures, retries, delays), expiry, refunds, a restart, bad requests.
 */
const SECRET_KEY = "sk_test_standin";
const WEBHOOK_SECRET = "whsec_standin";

let dataDir: string;
let receiver: WebhookReceiver;
let standin: PaymentStandin;
let now: number;
const started: PaymentStandin[] = [];

const start = async (overrides: Partial<Parameters<typeof startPaymentStandin>[0]> = {}) => {
  const one = await startPaymentStandin({
    dataDir,
    webhookUrl: receiver.url,
    webhookSecret: WEBHOOK_SECRET,
    secretKey: SECRET_KEY,
    clock: () => now,
    ...overrides,
  });
  started.push(one);
  return one;
};
const providerFor = (running: PaymentStandin) =>
  createStripeProvider({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, ...running.endpoint });
const stripeFor = (running: PaymentStandin) => new Stripe(SECRET_KEY, { ...running.endpoint, maxNetworkRetries: 0 });

beforeEach(async () => {
  now = Date.now();
  dataDir = mkdtempSync(join(tmpdir(), "payment-standin-"));
  receiver = await startWebhookReceiver();
  standin = await start();
});
afterEach(async () => {
  for (const one of started.splice(0)) await one.stop();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let orders = 0;
const anOrder = (overrides: Partial<Parameters<ReturnType<typeof providerFor>["createCheckout"]>[0]> = {}) => ({
  orderId: `order-${process.pid}-${++orders}-${Date.now()}`,
  shopper: "shopper-sub-1",
  sku: "demo-hoodie",
  productName: "Demo hoodie",
  quantity: 2,
  totalCents: 5_000,
  currency: "EUR",
  expiresAt: new Date(Date.now() + 300_000).toISOString(),
  successUrl: "http://localhost:4200/orders/o-1?session={CHECKOUT_SESSION_ID}",
  cancelUrl: "http://localhost:4200/orders/o-1",
  ...overrides,
});

/** The hosted page's form, sent as a browser sends it. */
async function submitCard(url: string, cardNumber: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ cardNumber }).toString(),
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), page: await response.text() };
}

/** A raw API call (what the SDK would send, or would never send). */
async function api(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = { authorization: `Bearer ${SECRET_KEY}` },
) {
  const response = await fetch(`${standin.url}${path}`, {
    method,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, json, headers: response.headers };
}

const ofType = (type: string) => (deliveries: Delivery[]) => deliveries.some((delivery) => delivery.type === type);
const deliveryOf = (deliveries: Delivery[], type: string) => deliveries.find((delivery) => delivery.type === type)!;

describe("the hosted payment page", () => {
  test("createCheckout returns a page that shows the product and the total, a labelled Card number field and a Pay button", async () => {
    const checkout = await providerFor(standin).createCheckout(anOrder());

    const response = await fetch(checkout.url);
    const page = await response.text();

    expect(checkout.url).toBe(`${standin.url}/pay/${checkout.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(page).toMatch(/<label for="card-number">Card number<\/label>/);
    expect(page).toMatch(/<input id="card-number" name="cardNumber"/);
    expect(page).toMatch(/<button type="submit">Pay<\/button>/);
    expect(page).toContain("Demo hoodie × 2");
    expect(page).toContain("€50.00");
    expect(page).toContain('href="http://localhost:4200/orders/o-1"');
  });

  test("the same order twice is the same session; another order is another session", async () => {
    const provider = providerFor(standin);
    const order = anOrder();

    const first = await provider.createCheckout(order);
    const again = await provider.createCheckout(order);
    const other = await provider.createCheckout(anOrder());

    expect(again).toEqual(first);
    expect(other.id).not.toBe(first.id);
  });

  test("4242 4242 4242 4242 pays: back to the success URL, and checkout.session.completed reads as paid with the amount and the order", async () => {
    const provider = providerFor(standin);
    const order = anOrder({ quantity: 3, totalCents: 1_000 });
    const checkout = await provider.createCheckout(order);

    const paid = await submitCard(checkout.url, "4242 4242 4242 4242");
    const deliveries = await receiver.waitFor(ofType("checkout.session.completed"));
    const completed = deliveryOf(deliveries, "checkout.session.completed");
    const event = await provider.readWebhook(completed.body, completed.signature);

    expect(paid.status).toBe(303);
    expect(paid.location).toBe(`http://localhost:4200/orders/o-1?session=${checkout.id}`);
    expect(event).toEqual({
      kind: "paid",
      eventId: completed.eventId,
      orderId: order.orderId,
      shopper: "shopper-sub-1",
      paymentId: expect.stringMatching(/^pi_/),
      amountCents: 1_000,
      currency: "EUR",
    });
    expect(completed.eventId).toMatch(/^evt_/);
    const session = await stripeFor(standin).checkout.sessions.retrieve(checkout.id);
    expect(session).toMatchObject({
      status: "complete",
      payment_status: "paid",
      amount_total: 1_000,
      currency: "eur",
      client_reference_id: order.orderId,
      metadata: { orderId: order.orderId, shopper: "shopper-sub-1", sku: "demo-hoodie" },
      url: null,
    });
  });

  test("events the shop does not act on (payment_intent.succeeded) verify and read as nothing", async () => {
    const provider = providerFor(standin);
    const checkout = await provider.createCheckout(anOrder());

    await submitCard(checkout.url, "4242424242424242");
    const deliveries = await receiver.waitFor(ofType("payment_intent.succeeded"));
    const succeeded = deliveryOf(deliveries, "payment_intent.succeeded");

    expect(await provider.readWebhook(succeeded.body, succeeded.signature)).toBeUndefined();
  });

  test("4000 0000 0000 0002 is declined: the page says so and stays, payment_intent.payment_failed reads as declined, and another card can still pay", async () => {
    const provider = providerFor(standin);
    const order = anOrder();
    const checkout = await provider.createCheckout(order);

    const declined = await submitCard(checkout.url, "4000 0000 0000 0002");
    const failed = deliveryOf(
      await receiver.waitFor(ofType("payment_intent.payment_failed")),
      "payment_intent.payment_failed",
    );
    const event = await provider.readWebhook(failed.body, failed.signature);
    const paidAfter = await submitCard(checkout.url, "4242 4242 4242 4242");

    expect(declined.status).toBe(402);
    expect(declined.location).toBeNull();
    expect(declined.page).toContain("Your card was declined.");
    expect(declined.page).toContain('<label for="card-number">Card number</label>');
    expect(event).toEqual({
      kind: "declined",
      eventId: failed.eventId,
      orderId: order.orderId,
      shopper: "shopper-sub-1",
      reason: "Your card was declined.",
    });
    expect(paidAfter.status).toBe(303);
  });

  test("any other card number asks for a test card and charges nothing", async () => {
    const checkout = await providerFor(standin).createCheckout(anOrder());

    const other = await submitCard(checkout.url, "5555 5555 5555 4444");
    const empty = await submitCard(checkout.url, "");
    const session = await stripeFor(standin).checkout.sessions.retrieve(checkout.id);

    expect(other.status).toBe(400);
    expect(other.page).toContain("Use a test card");
    expect(empty.page).toContain("Use a test card");
    expect(session.status).toBe("open");
    expect(session.payment_intent).toBeNull();
  });

  test("an unknown session's page is a 404 page", async () => {
    const response = await fetch(`${standin.url}/pay/cs_test_nothing`);

    expect(response.status).toBe(404);
    expect(await response.text()).toContain("no payment page");
  });
});

describe("expiry", () => {
  test("an expired session (Stripe's expire endpoint) refuses payment and sends checkout.session.expired, read as checkout-expired", async () => {
    const provider = providerFor(standin);
    const order = anOrder();
    const checkout = await provider.createCheckout(order);

    const expired = await stripeFor(standin).checkout.sessions.expire(checkout.id);
    const page = await fetch(checkout.url).then((response) => response.text());
    const attempt = await submitCard(checkout.url, "4242 4242 4242 4242");
    const delivery = deliveryOf(await receiver.waitFor(ofType("checkout.session.expired")), "checkout.session.expired");

    expect(expired.status).toBe("expired");
    expect(page).toContain("no longer active");
    expect(attempt.status).toBe(410);
    expect(attempt.location).toBeNull();
    expect(await provider.readWebhook(delivery.body, delivery.signature)).toEqual({
      kind: "checkout-expired",
      eventId: delivery.eventId,
      orderId: order.orderId,
      shopper: "shopper-sub-1",
    });
    expect(receiver.deliveries.map((each) => each.type)).not.toContain("checkout.session.completed");
  });

  test("a session expires by itself once its expires_at passes, and says so", async () => {
    // A hold longer than Stripe's 30-minute minimum, so the adapter sets expires_at.
    const order = anOrder({ expiresAt: new Date(Date.now() + 45 * 60_000).toISOString() });
    const checkout = await providerFor(standin).createCheckout(order);
    const session = await stripeFor(standin).checkout.sessions.retrieve(checkout.id);

    now += 46 * 60_000;
    await receiver.waitFor(ofType("checkout.session.expired"));

    expect(session.expires_at).toBe(Math.floor(Date.parse(order.expiresAt) / 1000));
    expect((await submitCard(checkout.url, "4242 4242 4242 4242")).status).toBe(410);
  });

  test("expiring a paid session is refused", async () => {
    const checkout = await providerFor(standin).createCheckout(anOrder());
    await submitCard(checkout.url, "4242 4242 4242 4242");

    const reply = await api("POST", `/v1/checkout/sessions/${checkout.id}/expire`);

    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatchObject({ type: "invalid_request_error", code: "checkout_session_not_open" });
  });
});

describe("webhooks", () => {
  test("each attempt is signed exactly as Stripe signs: the SDK's own test header for the same body and time is identical", () => {
    const body = JSON.stringify({ id: "evt_1", object: "event", type: "checkout.session.completed" }, null, 2);
    const timestamp = 1_796_000_000;

    const ours = stripeSignature(body, WEBHOOK_SECRET, timestamp);
    const sdk = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET, timestamp });

    expect(ours).toBe(sdk);
  });

  test("a tampered body, a wrong secret, a stale or missing signature are InvalidWebhookError", async () => {
    const provider = providerFor(standin);
    const checkout = await provider.createCheckout(anOrder({ totalCents: 5_000 }));
    await submitCard(checkout.url, "4242 4242 4242 4242");
    const completed = deliveryOf(
      await receiver.waitFor(ofType("checkout.session.completed")),
      "checkout.session.completed",
    );
    const wrongSecret = createStripeProvider({
      secretKey: SECRET_KEY,
      webhookSecret: "whsec_other",
      ...standin.endpoint,
    });
    const stale = stripeSignature(completed.body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600);

    await expect(provider.readWebhook(completed.body.replace("5000", "1"), completed.signature)).rejects.toMatchObject({
      name: "InvalidWebhookError",
    });
    await expect(wrongSecret.readWebhook(completed.body, completed.signature)).rejects.toMatchObject({
      name: "InvalidWebhookError",
    });
    await expect(provider.readWebhook(completed.body, stale)).rejects.toMatchObject({ name: "InvalidWebhookError" });
    await expect(provider.readWebhook(completed.body, undefined)).rejects.toMatchObject({
      name: "InvalidWebhookError",
    });
    await expect(provider.readWebhook(completed.body, "garbage")).rejects.toMatchObject({
      name: "InvalidWebhookError",
    });
  });

  test("an endpoint that answers 500 twice, then 200, gets the same event three times, with growing waits between", async () => {
    const checkout = await providerFor(standin).createCheckout(anOrder());
    receiver.answerNext([500, 500]);

    await submitCard(checkout.url, "4000 0000 0000 0002");
    const deliveries = await receiver.waitFor((all) => all.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(deliveries.map((delivery) => delivery.eventId)).toEqual(new Array(3).fill(deliveries[0]!.eventId));
    expect(deliveries[1]!.at - deliveries[0]!.at).toBeGreaterThanOrEqual(450);
    expect(deliveries[2]!.at - deliveries[1]!.at).toBeGreaterThanOrEqual(950);
    expect(receiver.deliveries).toHaveLength(3);
  });

  test("an endpoint that cannot be reached gets the event once it listens", async () => {
    let url: string | undefined;
    const late = await start({ dataDir: join(dataDir, "late"), webhookUrl: () => url });
    const checkout = await providerFor(late).createCheckout(anOrder());

    await submitCard(checkout.url, "4000 0000 0000 0002");
    await new Promise((resolve) => setTimeout(resolve, 700));
    url = receiver.url;
    const deliveries = await receiver.waitFor(ofType("payment_intent.payment_failed"));

    expect(deliveries).toHaveLength(1);
  });

  test("a delay set with POST /_standin/delay holds that event type back, and only it", async () => {
    const checkout = await providerFor(standin).createCheckout(anOrder());
    const delay = await fetch(`${standin.url}/_standin/delay`, {
      method: "POST",
      headers: { authorization: `Bearer ${SECRET_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "checkout.session.completed", delayMs: 1_500 }),
    });

    const paidAt = Date.now();
    await submitCard(checkout.url, "4242 4242 4242 4242");
    const deliveries = await receiver.waitFor(ofType("checkout.session.completed"));

    expect(delay.status).toBe(200);
    expect(await delay.json()).toEqual({ object: "standin.delays", delays: { "checkout.session.completed": 1_500 } });
    expect(deliveryOf(deliveries, "payment_intent.succeeded").at - paidAt).toBeLessThan(1_500);
    expect(deliveryOf(deliveries, "checkout.session.completed").at - paidAt).toBeGreaterThanOrEqual(1_500);
  });

  test("the control endpoint needs the secret key and a valid type and delay", async () => {
    const noKey = await api("POST", "/_standin/delay", "type=checkout.session.completed&delayMs=5", {});
    const badType = await api("POST", "/_standin/delay", "type=nope&delayMs=5");
    const badDelay = await api("POST", "/_standin/delay", "type=checkout.session.completed&delayMs=-1");

    expect(noKey.status).toBe(401);
    expect(badType.json.error).toMatchObject({ type: "invalid_request_error", param: "type" });
    expect(badDelay.json.error).toMatchObject({ type: "invalid_request_error", param: "delayMs" });
  });
});

describe("refunds", () => {
  test("a paid order is refunded in full, and refunding it again returns the same refund", async () => {
    const provider = providerFor(standin);
    const order = anOrder();
    const checkout = await provider.createCheckout(order);
    await submitCard(checkout.url, "4242 4242 4242 4242");
    const completed = deliveryOf(
      await receiver.waitFor(ofType("checkout.session.completed")),
      "checkout.session.completed",
    );
    const paid = await provider.readWebhook(completed.body, completed.signature);
    const paymentId = paid?.kind === "paid" ? paid.paymentId : "";

    const first = await provider.refund(paymentId, order.orderId);
    const again = await provider.refund(paymentId, order.orderId);
    const refund = await stripeFor(standin).refunds.retrieve(first.refundId);
    const otherKey = await api("POST", "/v1/refunds", `payment_intent=${paymentId}`, {
      authorization: `Bearer ${SECRET_KEY}`,
      "idempotency-key": "another-refund",
    });

    expect(first.refundId).toMatch(/^re_/);
    expect(again).toEqual(first);
    expect(refund).toMatchObject({ amount: 5_000, currency: "eur", payment_intent: paymentId, status: "succeeded" });
    expect(otherKey.status).toBe(400);
    expect(otherKey.json.error).toMatchObject({ type: "invalid_request_error", code: "charge_already_refunded" });
  });

  test("an unpaid or unknown payment cannot be refunded", async () => {
    const checkout = await providerFor(standin).createCheckout(anOrder());
    await submitCard(checkout.url, "4000 0000 0000 0002");
    const session = await stripeFor(standin).checkout.sessions.retrieve(checkout.id);

    await expect(providerFor(standin).refund(session.payment_intent as string, "o-x")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "charge_not_refundable",
    });
    await expect(providerFor(standin).refund("pi_unknown", "o-y")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
      param: "payment_intent",
    });
  });
});

describe("a restart on the same data", () => {
  test("keeps sessions, payments, idempotency keys and undelivered events", async () => {
    const order = anOrder();
    const checkout = await providerFor(standin).createCheckout(order);
    receiver.answerNext(new Array(100).fill(503));
    await submitCard(checkout.url, "4242 4242 4242 4242");
    await receiver.waitFor(ofType("checkout.session.completed"));
    await standin.stop();
    const failures = receiver.deliveries.length;

    receiver.answerNext([]);
    receiver.deliveries.splice(0);
    const restarted = await start({ port: standin.endpoint.port });
    const redelivered = await receiver.waitFor(ofType("checkout.session.completed"));
    const session = await stripeFor(restarted).checkout.sessions.retrieve(checkout.id);
    const sameCheckout = await providerFor(restarted).createCheckout(order);

    expect(failures).toBeGreaterThanOrEqual(1);
    expect(deliveryOf(redelivered, "checkout.session.completed").eventId).toMatch(/^evt_/);
    expect(session.status).toBe("complete");
    expect(sameCheckout.id).toBe(checkout.id);
  });
});

describe("bad requests", () => {
  const create = (body: string) => api("POST", "/v1/checkout/sessions", body);
  const valid =
    "mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=eur" +
    "&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=Hat" +
    "&success_url=http://localhost/ok";

  test("a valid raw request makes a session (the baseline for the refusals below)", async () => {
    const reply = await create(valid);

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ object: "checkout.session", amount_total: 500, status: "open" });
    expect(reply.headers.get("request-id")).toMatch(/^req_/);
  });

  test.each([
    ["an unknown parameter", `${valid}&colour=red`, "colour"],
    ["an unknown nested parameter", `${valid}&line_items[0][price_data][tax]=1`, "line_items[0][price_data][tax]"],
    ["no mode", valid.replace("mode=payment&", ""), "mode"],
    ["a subscription", valid.replace("mode=payment", "mode=subscription"), "mode"],
    ["no line items", "mode=payment&success_url=http://localhost/ok", "line_items"],
    [
      "a quantity that is not a whole number",
      valid.replace("[quantity]=1", "[quantity]=1.5"),
      "line_items[0][quantity]",
    ],
    [
      "a negative amount",
      valid.replace("unit_amount]=500", "unit_amount]=-5"),
      "line_items[0][price_data][unit_amount]",
    ],
    [
      "a currency that is not a code",
      valid.replace("currency]=eur", "currency]=euro"),
      "line_items[0][price_data][currency]",
    ],
    ["a success URL that is not a URL", valid.replace("http://localhost/ok", "not-a-url"), "success_url"],
    ["expires_at sooner than 30 minutes", `${valid}&expires_at=${Math.floor(Date.now() / 1000) + 600}`, "expires_at"],
    ["expires_at later than 24 hours", `${valid}&expires_at=${Math.floor(Date.now() / 1000) + 90_000}`, "expires_at"],
    ["metadata given as a value", `${valid}&metadata=x`, "metadata"],
    ["a metadata value over 500 characters", `${valid}&metadata[k]=${"v".repeat(501)}`, "metadata[k]"],
    ["line items that are not a list", valid.replaceAll("line_items[0]", "line_items[x]"), "line_items"],
    ["a key whose brackets do not close", `${valid}&metadata[a=1`, "metadata[a"],
    ["a hash and a value under one key", `${valid}&metadata[a]=1&metadata[a][b]=2`, "metadata[a][b]"],
  ])("%s is a Stripe-shaped 400 naming the parameter", async (_name, body, param) => {
    const reply = await create(body);

    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatchObject({ type: "invalid_request_error", param });
    expect(typeof reply.json.error.message).toBe("string");
  });

  test("a JSON body is a Stripe-shaped 400 (the API reads forms)", async () => {
    const reply = await api("POST", "/v1/checkout/sessions", JSON.stringify({ mode: "payment" }), {
      authorization: `Bearer ${SECRET_KEY}`,
      "content-type": "application/json",
    });

    expect(reply.status).toBe(400);
    expect(reply.json.error.type).toBe("invalid_request_error");
  });

  test("no API key or a wrong one is 401; a live key never starts the stand-in", async () => {
    const none = await api("POST", "/v1/checkout/sessions", valid, {});
    const wrong = await api("POST", "/v1/checkout/sessions", valid, { authorization: "Bearer sk_test_wrong_key_1234" });

    expect(none.status).toBe(401);
    expect(none.json.error.message).toContain("You did not provide an API key");
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toContain("Invalid API Key provided: sk_test_");
    expect(wrong.json.error.message).not.toContain("wrong_key");
    await expect(start({ secretKey: "sk_live_real" })).rejects.toThrow("never a live one");
  });

  test("an unknown session or route is a Stripe-shaped 404, through the SDK too", async () => {
    const route = await api("GET", "/v1/customers");

    expect(route.status).toBe(404);
    expect(route.json.error.message).toContain("Unrecognized request URL (GET: /v1/customers)");
    await expect(stripeFor(standin).checkout.sessions.retrieve("cs_test_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
      code: "resource_missing",
    });
  });

  test("an idempotency key is answered the same again, and refused with other parameters", async () => {
    const headers = { authorization: `Bearer ${SECRET_KEY}`, "idempotency-key": "key-1" };
    const first = await api("POST", "/v1/checkout/sessions", valid, headers);
    const reordered = valid.split("&").reverse().join("&");
    const again = await api("POST", "/v1/checkout/sessions", reordered, headers);
    const other = await api("POST", "/v1/checkout/sessions", valid.replace("=500", "=600"), headers);

    expect(again.json.id).toBe(first.json.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(other.status).toBe(400);
    expect(other.json.error.type).toBe("idempotency_error");
  });

  test("malformed requests never bring it down: bad escapes, huge bodies, half-sent requests, unknown pages", async () => {
    const replies = [
      await fetch(`${standin.url}/pay/%E0%A4%A`).then((response) => response.status),
      await fetch(`${standin.url}/pay/${"x".repeat(5_000)}`).then((response) => response.status),
      await fetch(`${standin.url}/v1/checkout/sessions/%E0%A4%A`, {
        headers: { authorization: `Bearer ${SECRET_KEY}` },
      }).then((response) => response.status),
      await api("POST", "/v1/checkout/sessions", `a=${"x".repeat(300_000)}`).then((reply) => reply.status),
      await api("POST", "/v1/checkout/sessions", "%%%=%%&&==&line_items[=1").then((reply) => reply.status),
      await fetch(`${standin.url}/pay/cs_test_missing`, { method: "POST", body: "cardNumber=4242424242424242" }).then(
        (response) => response.status,
      ),
      await fetch(`${standin.url}/pay/cs_test_missing`, { method: "DELETE" }).then((response) => response.status),
    ];
    await new Promise<void>((resolve) => {
      const half = httpRequest(`${standin.url}/v1/checkout/sessions`, {
        method: "POST",
        headers: { authorization: `Bearer ${SECRET_KEY}`, "content-length": "1000" },
      });
      half.on("error", () => resolve());
      half.write("mode=pay");
      setTimeout(() => {
        half.destroy();
        resolve();
      }, 100);
    });

    expect(replies).toEqual([404, 404, 404, 413, 400, 404, 405]);
    expect((await create(valid)).status).toBe(200);
  });
});
