import { randomUUID } from "node:crypto";
import type { LocalStack } from "../../src/stack";
import { aProduct } from "@flash-sale/services/testing";
import { aShopper, startStack, type Caller } from "./support";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@flash-sale/services/store";

let stack: LocalStack;
let alice: Caller;
let bob: Caller;
const HOUR = 3_600_000;
const at = (offset: number) => new Date(Date.now() + offset).toISOString();

beforeAll(async () => {
  stack = await startStack();
  await stack.loadCatalog([
    aProduct({ sku: "open", units: 50, shardCount: 4, perCustomerLimit: 3, priceCents: 2500 }),
    aProduct({ sku: "tiny", units: 1, shardCount: 1, perCustomerLimit: 1 }),
    aProduct({ sku: "few", units: 2, shardCount: 2, perCustomerLimit: 5 }),
    aProduct({ sku: "later", saleStartsAt: at(HOUR), saleEndsAt: at(2 * HOUR) }),
    aProduct({ sku: "over", saleStartsAt: at(-2 * HOUR), saleEndsAt: at(-HOUR) }),
  ]);
  [alice, bob] = await Promise.all([aShopper(stack), aShopper(stack)]);
});
afterAll(async () => {
  await stack?.stop();
});

const buy = (caller: Caller, sku: string, quantity = 1, idempotencyKey = randomUUID()) =>
  caller.post("/purchases", { sku, quantity, idempotencyKey });

/**
 * Items the request path writes. The stream consumers' own items (mail claims, the sales tally) are left out: they land a moment
 * after an earlier test's purchase, whatever this test's request does.
 */
async function itemCount(): Promise<number> {
  const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
  const scan = new ScanCommand({
    TableName: stack.tableName,
    Select: "COUNT",
    FilterExpression: "NOT (#type IN (:mail, :tally, :tallied))",
    ExpressionAttributeNames: { "#type": "type" },
    ExpressionAttributeValues: { ":mail": "MAIL", ":tally": "TALLY", ":tallied": "TALLIED" },
  });
  return (await doc.send(scan)).Count ?? 0;
}

describe("GET /products", () => {
  test("lists every product with live availability and an asOf instant", async () => {
    const reply = await alice.get("/products");

    expect(reply.status).toBe(200);
    expect(Date.parse(reply.body.asOf)).not.toBeNaN();
    const open = reply.body.products.find((product: { sku: string }) => product.sku === "open");
    expect(Object.keys(open).sort()).toEqual(
      [
        "sku",
        "name",
        "description",
        "imageUrl",
        "priceCents",
        "currency",
        "saleStartsAt",
        "saleEndsAt",
        "perCustomerLimit",
        "available",
        "soldOut",
        "loadedUnits",
        "waitingRoom",
        "checkout",
        "holdSeconds",
      ].sort(),
    );
    expect(open).toMatchObject({
      priceCents: 2500,
      perCustomerLimit: 3,
      soldOut: false,
      loadedUnits: 50,
      checkout: "instant",
      holdSeconds: 300,
    });
  });
});

describe("GET /products/{sku}", () => {
  test("returns one product", async () => {
    const reply = await alice.get("/products/later");
    expect(reply).toMatchObject({ status: 200, body: { sku: "later", soldOut: false } });
  });

  test("is 404 PRODUCT_NOT_FOUND for an unknown sku", async () => {
    const reply = await alice.get("/products/nope");
    expect(reply).toMatchObject({
      status: 404,
      body: { error: { code: "PRODUCT_NOT_FOUND", message: expect.any(String) } },
    });
  });
});

describe("POST /purchases", () => {
  test("confirms with 201 and the order; the same key and body again is 200 with the same order", async () => {
    const key = randomUUID();

    const first = await buy(alice, "open", 2, key);
    const again = await buy(alice, "open", 2, key);

    expect(first.status).toBe(201);
    expect(first.body.order).toEqual({
      orderId: key,
      sku: "open",
      quantity: 2,
      priceCents: 2500,
      totalCents: 5000,
      currency: "EUR",
      createdAt: expect.any(String),
      status: "CONFIRMED",
    });
    expect(again).toMatchObject({ status: 200, body: { order: first.body.order } });
  });

  test("the same key with a different body is 409 IDEMPOTENCY_KEY_REUSED", async () => {
    const key = randomUUID();
    await buy(bob, "open", 1, key);

    const reply = await buy(bob, "open", 2, key);

    expect(reply).toMatchObject({ status: 409, body: { error: { code: "IDEMPOTENCY_KEY_REUSED" } } });
  });

  test("past the per-customer limit is 409 LIMIT_EXCEEDED", async () => {
    const shopper = await aShopper(stack);
    await buy(shopper, "open", 3);

    const reply = await buy(shopper, "open", 1);

    expect(reply).toMatchObject({ status: 409, body: { error: { code: "LIMIT_EXCEEDED", perCustomerLimit: 3 } } });
  });

  test("the last unit sells once; then 409 SOLD_OUT", async () => {
    const first = await buy(alice, "tiny");
    const second = await buy(bob, "tiny");

    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 409, body: { error: { code: "SOLD_OUT" } } });
  });

  test("more than is left is 409 INSUFFICIENT_STOCK with what is available", async () => {
    const reply = await buy(alice, "few", 3);
    expect(reply).toMatchObject({ status: 409, body: { error: { code: "INSUFFICIENT_STOCK", available: 2 } } });
  });

  test("before the sale is 409 SALE_NOT_STARTED, after it 409 SALE_ENDED", async () => {
    const early = await buy(alice, "later");
    const late = await buy(alice, "over");

    expect(early).toMatchObject({
      status: 409,
      body: { error: { code: "SALE_NOT_STARTED", saleStartsAt: expect.any(String) } },
    });
    expect(late).toMatchObject({ status: 409, body: { error: { code: "SALE_ENDED" } } });
  });

  test("an unknown sku is 404 PRODUCT_NOT_FOUND", async () => {
    const reply = await buy(alice, "ghost");
    expect(reply).toMatchObject({ status: 404, body: { error: { code: "PRODUCT_NOT_FOUND" } } });
  });

  const key = "b6c0d8a2-3f0e-4c1a-9a43-1f6d6c7e2b10";
  test.each([
    ["not JSON", "{sku: open", /not valid JSON/],
    ["a JSON array", "[1,2]", /JSON object/],
    ["quantity as a string", JSON.stringify({ sku: "open", quantity: "1", idempotencyKey: key }), /quantity/],
    ["a negative quantity", JSON.stringify({ sku: "open", quantity: -1, idempotencyKey: key }), /quantity/],
    ["a fractional quantity", JSON.stringify({ sku: "open", quantity: 0.5, idempotencyKey: key }), /quantity/],
    ["a huge quantity", JSON.stringify({ sku: "open", quantity: 1e308, idempotencyKey: key }), /quantity/],
    [
      "a quantity over the product's limit",
      JSON.stringify({ sku: "open", quantity: 4, idempotencyKey: key }),
      /quantity.*limit/,
    ],
    [
      "an unknown field",
      JSON.stringify({ sku: "open", quantity: 1, idempotencyKey: key, price: 1 }),
      /unknown field.*price/,
    ],
    ["an odd sku", JSON.stringify({ sku: "open; DROP TABLE", quantity: 1, idempotencyKey: key }), /sku/],
    ["a missing idempotency key", JSON.stringify({ sku: "open", quantity: 1 }), /idempotencyKey/],
    [
      "a body over 4 KiB",
      JSON.stringify({ sku: "open", quantity: 1, idempotencyKey: key, pad: "x".repeat(5_000) }),
      /4096 bytes/,
    ],
    ["an empty body", "", /body is required/],
  ])("%s is 400 INVALID_REQUEST naming the problem, and writes nothing", async (_name, body, problem) => {
    const before = await itemCount();

    const reply = await alice.post("/purchases", body, true);

    expect(reply).toMatchObject({
      status: 400,
      body: { error: { code: "INVALID_REQUEST", message: expect.stringMatching(problem) } },
    });
    expect(await itemCount()).toBe(before);
  });
});

describe("GET /orders and /orders/{orderId}", () => {
  test("lists only the caller's orders, newest first", async () => {
    const shopper = await aShopper(stack);
    const first = await buy(shopper, "open", 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await buy(shopper, "few", 1);

    const reply = await shopper.get("/orders");

    expect(reply.status).toBe(200);
    expect(reply.body.orders.map((order: { orderId: string }) => order.orderId)).toEqual([
      second.body.order.orderId,
      first.body.order.orderId,
    ]);
  });

  test("returns the caller's own order, and 404 ORDER_NOT_FOUND for another shopper's", async () => {
    const { body } = await buy(bob, "open", 1);

    const own = await bob.get(`/orders/${body.order.orderId}`);
    const others = await alice.get(`/orders/${body.order.orderId}`);

    expect(own).toMatchObject({ status: 200, body: body.order });
    expect(others).toMatchObject({ status: 404, body: { error: { code: "ORDER_NOT_FOUND" } } });
  });
});

describe("the gateway", () => {
  test("an unknown route, or a known path with a method it has no route for, is API Gateway's 404 (HTTP APIs have no 405)", async () => {
    const unknown = await alice.get("/nowhere");
    const wrongMethod = await alice.post("/products", {});

    expect(unknown).toMatchObject({ status: 404, body: { message: "Not Found" } });
    expect(wrongMethod).toMatchObject({ status: 404, body: { message: "Not Found" } });
  });

  test("answers CORS preflight for the storefront's origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.apiUrl}/purchases`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });

    const ours = await preflight(stack.webUrl);
    const theirs = await preflight("https://evil.example");

    expect(ours.status).toBe(204);
    expect(ours.headers.get("access-control-allow-origin")).toBe(stack.webUrl);
    expect(ours.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(theirs.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("serves the storefront's runtime config.json", async () => {
    const config = await (await fetch(`${stack.webUrl}/config.json`)).json();
    expect(config).toEqual({
      apiUrl: stack.apiUrl,
      region: "us-east-1",
      userPoolId: stack.userPoolId,
      userPoolClientId: stack.userPoolClientId,
      cognitoEndpoint: stack.cognitoEndpoint,
    });
  });
});
