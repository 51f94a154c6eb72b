/**
 * Least privilege, measured: every route's real handler and every `npm run stock` command run against DynamoDB
 * Local through a client that records the IAM actions of each request it sends. The union per handler (and for
 * the merchandiser CLI) must equal the committed fixture, which the infra tests compare with the deployed
 * policies (infra/test/least-privilege.test.ts). A code change that sends a new kind of request fails here
 * first; regenerate with `UPDATE_IAM_FIXTURE=1 npx jest services/test/iam-actions.test.ts` and review the diff.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { PaymentEvent } from "../src/domain/payments";
import type { Shop } from "../src/domain/shop";
import type { Order } from "../src/domain/types";
import { createHandler, type ApiEvent } from "../src/http/api-handler";
import { routes, type Route } from "../src/routes";
import { addUnits, getProductItem } from "../src/store/merchandising";
import { createProducts, planLoad, readCatalogItems, readStockStatus, updateProducts } from "../src/store/stock-admin";
import { reshard } from "../src/store/reshard";
import { recordActions } from "./support/action-recorder";
import {
  aCheckoutContainer,
  aContainer,
  aProduct,
  aWaitingRoomContainer,
  loadProduct,
  newKey,
  RecordingProvider,
  type TestTable,
} from "./support/shop";
import { createTestTable } from "./support/table";

export const FIXTURE = path.join(__dirname, "fixtures", "dynamodb-actions.json");

let table: TestTable;
let recorder: ReturnType<typeof recordActions>;
const recorded: { routes: Record<string, string[]>; stockCli: string[] } = { routes: {}, stockCli: [] };

beforeAll(async () => {
  process.env.FLASH_SALE_LOGS = "off";
  table = await createTestTable();
  recorder = recordActions(table.doc);
});
afterAll(async () => {
  await table.drop();
});

const HOUR = 3_600_000;
const routeOf = (handler: Route["handler"]) => routes.find((route) => route.handler === handler)!;

/** The route's real handler over a fresh container (its own snapshot), called as API Gateway would. */
function handlerFor(handler: Route["handler"], shop: Shop = aContainer(table)) {
  const run = createHandler(routeOf(handler), () => shop);
  return async (
    shopper: string,
    request: {
      body?: unknown;
      pathParameters?: Record<string, string>;
      queryStringParameters?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ) => {
    const event = {
      requestContext: {
        requestId: newKey(),
        authorizer: { jwt: { claims: { sub: shopper }, scopes: ["aws.cognito.signin.user.admin"] } },
      },
      headers: { "content-type": "application/json", ...request.headers },
      pathParameters: request.pathParameters,
      queryStringParameters: request.queryStringParameters,
      body:
        request.body === undefined
          ? undefined
          : typeof request.body === "string"
            ? request.body
            : JSON.stringify(request.body),
      isBase64Encoded: false,
    } as unknown as ApiEvent;
    const response = await run(event);
    const body = JSON.parse(response.body);
    return { status: response.statusCode, code: response.statusCode >= 400 ? body.error.code : undefined, body };
  };
}

describe("route handlers send exactly these DynamoDB actions", () => {
  test("purchase: success, replay, key reuse, limit, short stock, sold out, closed sales, unknown sku, bad body", async () => {
    // prepare
    const open = await loadProduct(table, aProduct({ units: 5, shardCount: 3, perCustomerLimit: 2 }));
    const single = await loadProduct(table, aProduct({ units: 1, shardCount: 1, perCustomerLimit: 1 }));
    const future = await loadProduct(
      table,
      aProduct({
        saleStartsAt: new Date(Date.now() + HOUR).toISOString(),
        saleEndsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
      }),
    );
    const past = await loadProduct(
      table,
      aProduct({
        saleStartsAt: new Date(Date.now() - 2 * HOUR).toISOString(),
        saleEndsAt: new Date(Date.now() - HOUR).toISOString(),
      }),
    );
    recorder.take();
    const purchase = handlerFor("purchase");
    const key = newKey();
    const buy = (shopper: string, sku: string, quantity: number, idempotencyKey = newKey()) =>
      purchase(shopper, { body: { sku, quantity, idempotencyKey } });

    // act
    const outcomes = [
      await buy("ana", open.sku, 2, key),
      await buy("ana", open.sku, 2, key),
      await buy("ana", open.sku, 1, key),
      await buy("ana", open.sku, 1),
      await buy("bob", open.sku, 2),
      await buy("cy", open.sku, 2),
      await buy("dee", single.sku, 1),
      await buy("eve", single.sku, 1),
      await buy("eve", future.sku, 1),
      await buy("eve", past.sku, 1),
      await buy("eve", "no-such-sku", 1),
      await purchase("eve", { body: "{not json" }),
    ];
    recorded.routes.purchase = recorder.take();

    // assess: each path really happened
    expect(outcomes.map((o) => o.code ?? o.status)).toEqual([
      201,
      200,
      "IDEMPOTENCY_KEY_REUSED",
      "LIMIT_EXCEEDED",
      201,
      "INSUFFICIENT_STOCK",
      201,
      "SOLD_OUT",
      "SALE_NOT_STARTED",
      "SALE_ENDED",
      "PRODUCT_NOT_FOUND",
      "INVALID_REQUEST",
    ]);
    expect(recorded.routes.purchase).toEqual(fixture().routes.purchase);
  });

  test("listProducts, availability, the public catalog and getProduct (found and not found)", async () => {
    const product = await loadProduct(table, aProduct());
    recorder.take();

    expect((await handlerFor("list-products")("ana")).status).toBe(200);
    recorded.routes["list-products"] = recorder.take();
    expect((await handlerFor("availability")("anyone")).status).toBe(200);
    recorded.routes.availability = recorder.take();
    expect((await handlerFor("catalog")("anyone")).status).toBe(200);
    recorded.routes.catalog = recorder.take();
    const getProduct = handlerFor("get-product");
    const found = await getProduct("ana", { pathParameters: { sku: product.sku } });
    const missing = await getProduct("ana", { pathParameters: { sku: "no-such-sku" } });
    recorded.routes["get-product"] = recorder.take();

    expect([found.status, missing.code]).toEqual([200, "PRODUCT_NOT_FOUND"]);
    expect(recorded.routes["list-products"]).toEqual(fixture().routes["list-products"]);
    expect(recorded.routes.availability).toEqual(fixture().routes.availability);
    expect(recorded.routes.catalog).toEqual(fixture().routes.catalog);
    expect(recorded.routes["get-product"]).toEqual(fixture().routes["get-product"]);
  });

  test("admission: join before the opening, join again, poll with the ticket, admitted, sold out, a product without a line", async () => {
    // prepare
    const later = await loadProduct(
      table,
      aProduct({
        waitingRoom: true,
        admissionRate: 1,
        saleStartsAt: new Date(Date.now() + HOUR).toISOString(),
        saleEndsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
      }),
    );
    const open = await loadProduct(
      table,
      aProduct({ waitingRoom: true, admissionRate: 1_000, saleStartsAt: new Date(Date.now() - 60_000).toISOString() }),
    );
    const gone = await loadProduct(table, aProduct({ waitingRoom: true, units: 0 }));
    const plain = await loadProduct(table, aProduct());
    recorder.take();
    const admission = handlerFor("admission", aWaitingRoomContainer(table));
    const line = (shopper: string, sku: string, ticket?: string) =>
      admission(shopper, { pathParameters: { sku }, ...(ticket ? { queryStringParameters: { ticket } } : {}) });

    // act
    const joined = await line("gus", later.sku);
    const again = await line("gus", later.sku);
    const polled = await line("gus", later.sku, joined.body.ticket);
    let admitted = await line("gus", open.sku);
    for (let poll = 0; poll < 5 && admitted.body.state === "waiting"; poll++) {
      await new Promise((resolve) => setTimeout(resolve, admitted.body.retryAfterSeconds * 1_000));
      admitted = await line("gus", open.sku, admitted.body.ticket);
    }
    const soldOut = await line("gus", gone.sku);
    const none = await line("gus", plain.sku);
    recorded.routes.admission = recorder.take();

    // assess: each path really happened
    expect([
      joined.body.state,
      again.body.state,
      polled.body.state,
      admitted.body.state,
      soldOut.body.state ?? soldOut.code,
      none.code ?? none.status,
    ]).toEqual(["waiting", "waiting", "waiting", "admitted", "sold-out", "PRODUCT_NOT_FOUND"]);
    expect(recorded.routes.admission).toEqual(fixture().routes.admission);
  });

  test("listOrders and getOrder (own order, unknown order)", async () => {
    const product = await loadProduct(table, aProduct());
    const orderId = newKey();
    expect(
      (await handlerFor("purchase")("fay", { body: { sku: product.sku, quantity: 1, idempotencyKey: orderId } }))
        .status,
    ).toBe(201);
    recorder.take();

    expect((await handlerFor("list-orders")("fay")).status).toBe(200);
    recorded.routes["list-orders"] = recorder.take();
    const getOrder = handlerFor("get-order");
    const own = await getOrder("fay", { pathParameters: { orderId } });
    const unknown = await getOrder("fay", { pathParameters: { orderId: newKey() } });
    recorded.routes["get-order"] = recorder.take();

    expect([own.status, unknown.code]).toEqual([200, "ORDER_NOT_FOUND"]);
    expect(recorded.routes["list-orders"]).toEqual(fixture().routes["list-orders"]);
    expect(recorded.routes["get-order"]).toEqual(fixture().routes["get-order"]);
  });
});

describe("the order lifecycle's routes send exactly these DynamoDB actions", () => {
  test("cancel-order and payment-webhook: held, paid, paid twice, declined, cancelled, cancelled again, paid late (taken again and refunded), not cancellable, forged", async () => {
    // prepare: a payment product with 3 units; purchases go through the purchase handler (recorded apart)
    const provider = new RecordingProvider();
    const product = await loadProduct(
      table,
      aProduct({ checkout: "payment", holdSeconds: 10, units: 3, shardCount: 2, perCustomerLimit: 1 }),
    );
    let offsetMs = 0;
    const shop = aCheckoutContainer(table, provider, { clock: () => Date.now() + offsetMs, snapshotTtlMs: 0 });
    const buy = async (shopper: string) => {
      const reply = await handlerFor("purchase", shop)(shopper, {
        body: { sku: product.sku, quantity: 1, idempotencyKey: newKey() },
      });
      expect(reply.status).toBe(201);
      return reply.body.order as Order;
    };
    const webhook = handlerFor("payment-webhook", shop);
    const paidEvent = (shopper: string, order: Order): PaymentEvent => ({
      kind: "paid",
      eventId: newKey(),
      orderId: order.orderId,
      shopper,
      paymentId: `pi_${order.orderId}`,
      amountCents: order.totalCents,
      currency: order.currency,
    });
    const cancelHandler = handlerFor("cancel-order", shop);
    // Each route's actions apart: the recorder is emptied before each call and its take added to that route.
    const seen: Record<"cancel-order" | "payment-webhook", Set<string>> = {
      "cancel-order": new Set(),
      "payment-webhook": new Set(),
    };
    const recording = async <T>(route: keyof typeof seen, call: () => Promise<T>): Promise<T> => {
      recorder.take();
      const result = await call();
      for (const action of recorder.take()) seen[route].add(action);
      return result;
    };
    const send = (event: PaymentEvent, signature = "valid") =>
      recording("payment-webhook", () =>
        webhook("", { body: JSON.stringify(event), headers: { "stripe-signature": signature } }),
      );
    const cancel = (shopper: string, orderId: string) =>
      recording("cancel-order", () => cancelHandler(shopper, { pathParameters: { orderId } }));
    const first = await buy("hal");
    const second = await buy("ida");

    // act
    const statuses = [
      (await send({ kind: "declined", eventId: newKey(), orderId: first.orderId, shopper: "hal", reason: "declined" }))
        .status,
      (await send(paidEvent("hal", first))).status,
      (await send(paidEvent("hal", first))).status,
      (await send(paidEvent("hal", first), "forged")).code,
      (await cancel("hal", first.orderId)).code,
      (await cancel("ida", second.orderId)).status,
      (await cancel("ida", second.orderId)).status,
      (await send(paidEvent("ida", second))).status, // paid after the cancel: the unit is still there
      (await cancel("ida", "no-such-order-1")).code,
    ];
    const third = await buy("jon");
    offsetMs = 11_000;
    await shop.sweepHolds();
    await buy("kim"); // takes the unit jon's hold gave back
    statuses.push((await send(paidEvent("jon", third))).status); // paid late, nothing left: refunded
    recorded.routes["cancel-order"] = [...seen["cancel-order"]].sort();
    recorded.routes["payment-webhook"] = [...seen["payment-webhook"]].sort();

    // assess: each path really happened
    expect(statuses).toEqual([
      200,
      200,
      200,
      "INVALID_SIGNATURE",
      "ORDER_NOT_CANCELLABLE",
      200,
      200,
      200,
      "ORDER_NOT_FOUND",
      200,
    ]);
    expect(provider.refunds.map((refund) => refund.orderId)).toEqual([third.orderId]);
    expect(recorded.routes["cancel-order"]).toEqual(fixture().routes["cancel-order"]);
    expect(recorded.routes["payment-webhook"]).toEqual(fixture().routes["payment-webhook"]);
  });
});

describe("the merchandiser CLI (npm run stock) sends exactly these DynamoDB actions", () => {
  test("load (create, then update and top up), add, status, reshard up and down", async () => {
    // The same calls, in the same order, as services/src/cli/stock.ts makes for each command.
    const created = aProduct({ units: 8, shardCount: 2 });
    const load = async (products: (typeof created)[]) => {
      const plan = planLoad(await readCatalogItems(table.doc, table.tableName), products, "catalog.json");
      expect(plan.problems).toEqual([]);
      await createProducts(table.doc, table.tableName, plan.creates, () => {});
      await updateProducts(table.doc, table.tableName, plan.updates, () => {});
    };
    recorder.take();

    await load([created]);
    await load([{ ...created, name: "Renamed sneaker", units: 12 }]);
    expect(await getProductItem(table.doc, table.tableName, created.sku)).toBeDefined();
    await addUnits(table.doc, table.tableName, created.sku, 4);
    const [status] = await readStockStatus(table.doc, table.tableName, created.sku);
    await reshard(table.doc, table.tableName, created.sku, 4);
    await reshard(table.doc, table.tableName, created.sku, 1);
    recorded.stockCli = recorder.take();

    expect(status).toMatchObject({ loaded: 16, available: 16 });
    expect((await readStockStatus(table.doc, table.tableName, created.sku))[0]).toMatchObject({ shards: [16] });
    expect(recorded.stockCli).toEqual(fixture().stockCli);
  });
});

afterAll(() => {
  if (process.env.UPDATE_IAM_FIXTURE === "1") writeFileSync(FIXTURE, `${JSON.stringify(recorded, null, 2)}\n`);
});

function fixture(): typeof recorded {
  if (process.env.UPDATE_IAM_FIXTURE === "1") return recorded;
  return JSON.parse(readFileSync(FIXTURE, "utf8")) as typeof recorded;
}
