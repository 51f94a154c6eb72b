import { StoreUnavailableError } from "../../src/domain/ports";
import type { Shop } from "../../src/domain/shop";
import type { PurchaseResult } from "../../src/domain/types";
import { createHandler, type ApiEvent } from "../../src/http/api-handler";
import { createLog } from "../../src/http/log";
import { BUSINESS_METRICS } from "../../src/http/metric-names";
import { ORIGIN_SECRET_ENV, ORIGIN_SECRET_HEADER, routes } from "../../src/routes";
import { emfOf, jsonPrinted } from "../support/emf";

/**
 * TRY_AGAIN needs persistent throttling and a 500 needs a broken store, neither of which DynamoDB Local
 * produces on demand: these two mappings are checked at the handler's edge with a stand-in shop.
 */
const purchaseRoute = routes.find((route) => route.handler === "purchase")!;
const event = (body: unknown) =>
  ({
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
    isBase64Encoded: false,
    requestContext: { requestId: "r1", authorizer: { jwt: { claims: { sub: "s1" }, scopes: [] } } },
  }) as unknown as ApiEvent;
const shopAnswering = (purchase: () => Promise<PurchaseResult>) => () => ({ purchase }) as unknown as Shop;
const body = { sku: "hot", quantity: 1, idempotencyKey: "0f8fad5b-d9cb-469f-a165-70867728950e" };

beforeAll(() => {
  process.env.FLASH_SALE_LOGS = "off";
});

test("TRY_AGAIN is a 503 with Retry-After", async () => {
  const handler = createHandler(
    purchaseRoute,
    shopAnswering(async () => ({ ok: false, code: "TRY_AGAIN", message: "busy", details: { retryAfterSeconds: 2 } })),
  );

  const response = await handler(event(body));

  expect(response.statusCode).toBe(503);
  expect(response.headers?.["retry-after"]).toBe("2");
  expect(JSON.parse(response.body)).toEqual({ error: { code: "TRY_AGAIN", message: "busy", retryAfterSeconds: 2 } });
});

test("an unexpected failure is a 500 that leaks nothing", async () => {
  const handler = createHandler(
    purchaseRoute,
    shopAnswering(async () => {
      throw new Error("secret table name leaked");
    }),
  );
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);

  const response = await handler(event(body));

  stderr.mockRestore();
  expect(response.statusCode).toBe(500);
  expect(response.body).not.toContain("secret");
  expect(JSON.parse(response.body).error.code).toBe("INTERNAL_ERROR");
});

test("a request without the authorizer's sub claim is 401", async () => {
  const handler = createHandler(
    purchaseRoute,
    shopAnswering(async () => {
      throw new Error("must not be called");
    }),
  );

  const response = await handler({ ...event(body), requestContext: { requestId: "r2" } } as unknown as ApiEvent);

  expect(response.statusCode).toBe(401);
});

test("a fault of the engine is 503 TRY_AGAIN with Retry-After, not a 500", async () => {
  const handler = createHandler(
    purchaseRoute,
    shopAnswering(async () => {
      throw new StoreUnavailableError("DynamoDB could not write the purchase: ECONNREFUSED");
    }),
  );
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);

  const response = await handler(event(body));

  stderr.mockRestore();
  expect({
    status: response.statusCode,
    retryAfter: response.headers?.["retry-after"],
    code: JSON.parse(response.body).error.code,
  }).toEqual({ status: 503, retryAfter: "1", code: "TRY_AGAIN" });
});

test("work that never finishes is answered 503 TRY_AGAIN at the deadline", async () => {
  const handler = createHandler(
    purchaseRoute,
    shopAnswering(() => new Promise(() => undefined)),
    { deadlineMs: 200 },
  );
  const started = Date.now();

  const response = await handler(event(body));

  expect({ status: response.statusCode, retryAfter: response.headers?.["retry-after"] }).toEqual({
    status: 503,
    retryAfter: "1",
  });
  expect(Date.now() - started).toBeLessThan(1_000);
});

test.each([
  [
    "a fault of the engine",
    async (): Promise<PurchaseResult> => {
      throw new StoreUnavailableError("DynamoDB could not write the purchase: 500 InternalServerError");
    },
  ],
  ["work past the deadline", () => new Promise<PurchaseResult>(() => undefined)],
])(
  "%s counts one EngineFaults beside its 503 (the alarm that pages when the database fails fast)",
  async (_name, purchase) => {
    // Logs on, as in AWS: the metric is an EMF line on stdout.
    const log = createLog({ serviceName: BUSINESS_METRICS.service, logs: true });
    const handler = createHandler(purchaseRoute, shopAnswering(purchase), { deadlineMs: 100, log });
    let status = 0;

    const printed = await jsonPrinted(async () => {
      status = (await handler(event(body))).statusCode;
    });

    expect(status).toBe(503);
    const metrics = printed.filter((document) => document._aws).map((document) => emfOf(document).values);
    expect(metrics).toEqual([{ [BUSINESS_METRICS.engineFaults]: 1 }]);
  },
);

test.each([
  ["text/plain", "text/plain"],
  ["form data", "application/x-www-form-urlencoded"],
  ["no content type", undefined],
])("a purchase sent as %s is 400 and never reaches the shop", async (_name, contentType) => {
  const handler = createHandler(
    purchaseRoute,
    shopAnswering(async () => {
      throw new Error("must not be called");
    }),
  );

  const response = await handler({ ...event(body), headers: contentType ? { "content-type": contentType } : {} });

  expect(response.statusCode).toBe(400);
  expect(JSON.parse(response.body).error).toMatchObject({
    code: "INVALID_REQUEST",
    message: expect.stringContaining("content-type"),
  });
});

test("an order id that cannot be an idempotency key is 400 and never reaches the table", async () => {
  const getOrderRoute = routes.find((route) => route.handler === "get-order")!;
  const handler = createHandler(
    getOrderRoute,
    () =>
      ({
        getOrder: async () => {
          throw new Error("must not be called");
        },
      }) as unknown as Shop,
  );

  const response = await handler({ ...event(undefined), pathParameters: { orderId: "x".repeat(1_100) } });

  expect(response.statusCode).toBe(400);
  expect(JSON.parse(response.body).error.code).toBe("INVALID_REQUEST");
});

test("the public feed needs no token; a row that made a shopper's route public, or the feed private, is refused", async () => {
  const feed = createHandler(
    { method: "GET", path: "/availability", handler: "availability", auth: false },
    () => ({ availability: async () => ({ products: [], serverTime: "2030-01-01T00:00:00.000Z" }) }) as unknown as Shop,
  );

  const response = await feed({ requestContext: { requestId: "r3" } } as unknown as ApiEvent);

  expect(response).toMatchObject({ statusCode: 200, headers: { "cache-control": "public, max-age=1" } });
  expect(() =>
    createHandler({ method: "GET", path: "/orders", handler: "list-orders", auth: false }, () => ({}) as Shop),
  ).toThrow("cannot serve a public route");
  expect(() =>
    createHandler({ method: "GET", path: "/availability", handler: "availability", auth: true }, () => ({}) as Shop),
  ).toThrow("cannot serve a signed-in route");
});

describe("CloudFront's origin secret (ORIGIN_SECRET_ENV, sent in ORIGIN_SECRET_HEADER)", () => {
  const availabilityRoute = routes.find((route) => route.handler === "availability")!;
  const shopListing = () =>
    ({ availability: async () => ({ products: [], serverTime: "2026-01-01T00:00:00.000Z" }) }) as unknown as Shop;
  const withSecret = (headers: Record<string, string>) => ({ ...event(body), headers }) as unknown as ApiEvent;
  afterEach(() => {
    delete process.env[ORIGIN_SECRET_ENV];
  });

  test("with a secret set, a request without it (straight to execute-api) is 401 and does no work, public route or not", async () => {
    process.env[ORIGIN_SECRET_ENV] = "s3cr3t";
    const never = () => {
      throw new Error("must not be called");
    };
    for (const route of [purchaseRoute, availabilityRoute]) {
      const handler = createHandler(route, never);
      expect((await handler(withSecret({}))).statusCode).toBe(401);
      expect((await handler(withSecret({ [ORIGIN_SECRET_HEADER]: "guess" }))).statusCode).toBe(401);
    }
  });

  test("with the secret in the header (through CloudFront) the route answers", async () => {
    process.env[ORIGIN_SECRET_ENV] = "s3cr3t";
    const handler = createHandler(availabilityRoute, shopListing);
    expect((await handler(withSecret({ [ORIGIN_SECRET_HEADER]: "s3cr3t" }))).statusCode).toBe(200);
  });

  test("without a secret (the local stack) no header is needed", async () => {
    const handler = createHandler(availabilityRoute, shopListing);
    expect((await handler(withSecret({}))).statusCode).toBe(200);
  });
});
