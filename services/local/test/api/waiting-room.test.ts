import { randomUUID } from "node:crypto";
import { createDocumentClient, readWatchedProducts } from "@flash-sale/services/store";
import type { LocalStack } from "../../src/stack";
import { aProduct } from "@flash-sale/services/testing";
import { aShopper, call, startStack, type Caller } from "./support";

/** GET /admission/{sku} and the admission pass through the local gateway, with real cognito-local tokens. */

const HOUR = 3_600_000;
let stack: LocalStack;
let alice: Caller;
let bob: Caller;

beforeAll(async () => {
  stack = await startStack();
  await stack.loadCatalog([
    aProduct({
      sku: "drop",
      waitingRoom: true,
      admissionRate: 1_000,
      units: 10,
      perCustomerLimit: 1,
      saleStartsAt: new Date(Date.now() - 1_000).toISOString(),
      saleEndsAt: new Date(Date.now() + HOUR).toISOString(),
    }),
    aProduct({
      sku: "later",
      waitingRoom: true,
      admissionRate: 1,
      saleStartsAt: new Date(Date.now() + HOUR).toISOString(),
      saleEndsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    }),
    aProduct({ sku: "plain", units: 10 }),
    // Lines for the repeated joins: one opened a moment ago, admitting a shopper every 5 s; one opening in an hour.
    aProduct({
      sku: "slow-open",
      waitingRoom: true,
      admissionRate: 0.2,
      saleStartsAt: new Date(Date.now() - 1_000).toISOString(),
      saleEndsAt: new Date(Date.now() + HOUR).toISOString(),
    }),
    aProduct({
      sku: "slow-later",
      waitingRoom: true,
      admissionRate: 0.2,
      saleStartsAt: new Date(Date.now() + HOUR).toISOString(),
      saleEndsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    }),
  ]);
  [alice, bob] = await Promise.all([aShopper(stack), aShopper(stack)]);
  // The gateway's catalog snapshot (1 s) may predate the last products loaded: wait until it lists them all.
  for (let tries = 0; (await alice.get("/products")).body.products.length < 5; tries++) {
    if (tries > 100) throw new Error("the catalog never listed the five products loaded");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** Polls the line as the storefront does (honouring retryAfterSeconds) until admitted; the last answer. */
async function admitted(caller: Caller, sku: string) {
  let reply = await caller.get(`/admission/${sku}`);
  for (let poll = 0; poll < 5 && reply.body.state === "waiting"; poll++) {
    await new Promise((resolve) => setTimeout(resolve, reply.body.retryAfterSeconds * 1_000));
    reply = await caller.get(`/admission/${sku}?ticket=${encodeURIComponent(reply.body.ticket)}`);
  }
  return reply;
}

const purchase = (caller: Caller, body: Record<string, unknown>) =>
  caller.post("/purchases", { sku: "drop", quantity: 1, idempotencyKey: randomUUID(), ...body });

test("the products list says which products have a waiting room", async () => {
  const reply = await alice.get("/products");

  const rooms = Object.fromEntries(
    reply.body.products.map((product: { sku: string; waitingRoom: boolean }) => [product.sku, product.waitingRoom]),
  );
  expect(rooms).toEqual({ drop: true, later: true, plain: false, "slow-open": true, "slow-later": true });
});

test("before the opening a shopper is in line, with a position, a ticket and when to poll again", async () => {
  const reply = await alice.get("/admission/later");

  expect(reply.status).toBe(200);
  expect(reply.headers.get("cache-control")).toContain("private");
  expect(reply.body).toMatchObject({
    sku: "later",
    state: "waiting",
    admitted: false,
    position: 0,
    retryAfterSeconds: expect.any(Number),
    ticket: expect.any(String),
    serverTime: expect.any(String),
  });
  expect(reply.body.pass).toBeUndefined();
  const polled = await alice.get(`/admission/later?ticket=${encodeURIComponent(reply.body.ticket)}`);
  expect(polled.body).toMatchObject({ state: "waiting", ticket: reply.body.ticket });
});

test("an admitted shopper gets a pass and buys with it; without it the purchase is 403 NOT_ADMITTED", async () => {
  // act
  const refused = await purchase(alice, {});
  const admission = await admitted(alice, "drop");
  const bought = await purchase(alice, { admissionPass: admission.body.pass });

  // assess
  expect(refused).toMatchObject({
    status: 403,
    body: {
      error: { code: "NOT_ADMITTED", reason: "missing", message: expect.stringContaining("GET /admission/drop") },
    },
  });
  expect(admission.body).toMatchObject({
    state: "admitted",
    admitted: true,
    pass: expect.any(String),
    passExpiresAt: expect.any(String),
  });
  expect(bought).toMatchObject({ status: 201, body: { order: { sku: "drop", quantity: 1 } } });
});

test("a pass is the shopper's own: another shopper's pass is 403, and a tampered pass is 403", async () => {
  const alicePass = (await admitted(alice, "drop")).body.pass as string;
  await admitted(bob, "drop");

  const stolen = await purchase(bob, { admissionPass: alicePass });
  const tampered = await purchase(alice, { admissionPass: `${alicePass.slice(0, -4)}AAAA` });

  expect(stolen).toMatchObject({ status: 403, body: { error: { code: "NOT_ADMITTED", reason: "other-shopper" } } });
  expect(tampered).toMatchObject({ status: 403, body: { error: { code: "NOT_ADMITTED", reason: "forged" } } });
});

test("products without a waiting room take no pass, and have no line", async () => {
  const bought = await alice.post("/purchases", { sku: "plain", quantity: 1, idempotencyKey: randomUUID() });
  const line = await alice.get("/admission/plain");

  expect(bought.status).toBe(201);
  expect(line).toMatchObject({ status: 404, body: { error: { code: "PRODUCT_NOT_FOUND" } } });
});

test.each([
  ["an unknown sku", "/admission/nothing-here", 404, "PRODUCT_NOT_FOUND"],
  ["a sku that is not an identifier", "/admission/bad%20sku", 400, "INVALID_REQUEST"],
])("%s is answered %s %s", async (_name, path, status, code) => {
  const reply = await alice.get(path);

  expect(reply).toMatchObject({ status, body: { error: { code } } });
});

test("the line needs a valid access token", async () => {
  const reply = await call(stack, "GET", "/admission/drop", undefined);

  expect(reply).toMatchObject({ status: 401, body: { message: "Unauthorized" } });
});

test("an admissionPass that is not a string is a 400 naming the field", async () => {
  const reply = await purchase(alice, { admissionPass: 42 });

  expect(reply).toMatchObject({
    status: 400,
    body: { error: { code: "INVALID_REQUEST", message: expect.stringContaining("admissionPass") } },
  });
});

describe("joining many times, in parallel, from two devices", () => {
  /** Shoppers the line has counted (what `stock status` and `stock watch` show as joined). */
  async function joined(sku: string): Promise<number | undefined> {
    const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
    try {
      const [product] = await readWatchedProducts(doc, stack.tableName, sku);
      return product?.waitingRoom?.joined;
    } finally {
      doc.destroy();
    }
  }

  /** Two signed-in sessions (two access tokens) of one shopper, as on a phone and a laptop. */
  async function twoDevices(): Promise<[Caller, Caller]> {
    const email = `devices-${randomUUID().slice(0, 8)}@example.com`;
    const device = async (): Promise<Caller> => {
      const session = await stack.createShopper(email, "Passw0rd!");
      return {
        sub: session.sub,
        token: session.accessToken,
        get: (path) => call(stack, "GET", path, session.accessToken),
        post: (path, body) => call(stack, "POST", path, session.accessToken, JSON.stringify(body)),
      };
    };
    const phone = await device();
    return [phone, await device()];
  }

  test.each([
    ["after the opening", "slow-open"],
    ["before the opening", "slow-later"],
  ])(
    "%s, 20 parallel joins by one shopper count once (one place, one ticket), and the next shopper is counted second",
    async (_when, sku) => {
      // prepare
      const [phone, laptop] = await twoDevices();
      expect(phone.token).not.toBe(laptop.token);
      expect(phone.sub).toBe(laptop.sub);
      const next = await aShopper(stack);

      // act
      const joins = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? phone : laptop).get(`/admission/${sku}`)),
      );
      const joinedAfterRepeats = await joined(sku);
      const nextJoin = await next.get(`/admission/${sku}`);

      // assess
      expect(joins.map((reply) => reply.status)).toEqual(new Array(20).fill(200));
      expect(new Set(joins.map((reply) => reply.body.ticket)).size).toBe(1);
      expect(joinedAfterRepeats).toBe(1);
      expect(nextJoin.status).toBe(200);
      expect(await joined(sku)).toBe(2);
    },
  );
});
