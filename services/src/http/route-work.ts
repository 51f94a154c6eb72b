import { idempotencyKeyProblem, skuProblem } from "../domain/validation";
import type { EventOutcome } from "../domain/holds";
import { InvalidWebhookError } from "../domain/payments";
import type { PaymentSignal } from "./metric-names";
import type { Route } from "../routes";
import { parsePurchaseBody } from "./purchase-body";
import { errorResponse, json, PURCHASE_ERROR_STATUS } from "./response";
import type { ApiEvent, Outcome, PublicWork, RouteWork } from "./work";

/** The work behind each row of the route table: parse the event, call the shop, map the result to HTTP. */

/**
 * Shared caches (CloudFront, the local gateway's edge cache) may keep a public read for a second: what makes
 * polling and visiting cheap. One second because both public reads carry live stock: a longer TTL would save
 * little (at most one origin call per second per path behind the Origin Shield, whatever the crowd) and would
 * show sold-out units as available for longer.
 */
const PUBLIC_STOCK_CACHE_CONTROL = "public, max-age=1";

const availability: PublicWork = async (_event, shop) => ({
  response: json(200, await shop.availability(), { "cache-control": PUBLIC_STOCK_CACHE_CONTROL }),
  outcome: "OK",
});

/**
 * GET /catalog: the drop for anyone, signed in or not: the signed-in listing's product views (they hold nothing
 * of any shopper), one cached copy of the whole sale for every visitor and every product page.
 */
const catalog: PublicWork = async (_event, shop) => ({
  response: json(200, await shop.listProducts(), { "cache-control": PUBLIC_STOCK_CACHE_CONTROL }),
  outcome: "OK",
});

const listProducts: RouteWork = async (_event, _shopper, shop) => ({
  response: json(200, await shop.listProducts()),
  outcome: "OK",
});

const getProduct: RouteWork = async (event, _shopper, shop) => {
  const sku = event.pathParameters?.sku ?? "";
  const problem = skuProblem(sku);
  if (problem) return { response: errorResponse(400, "INVALID_REQUEST", problem), outcome: "INVALID_REQUEST" };
  const product = await shop.getProduct(sku);
  return product
    ? { response: json(200, product), sku, outcome: "OK" }
    : {
        response: errorResponse(404, "PRODUCT_NOT_FOUND", `No product has sku '${sku}'.`, { sku }),
        sku,
        outcome: "PRODUCT_NOT_FOUND",
      };
};

const purchase: RouteWork = async (event, shopper, shop, log) => {
  const contentType = headerValue(event.headers, "content-type");
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? "")) {
    return {
      response: errorResponse(
        400,
        "INVALID_REQUEST",
        `content-type must be application/json (got ${contentType === undefined ? "none" : `'${contentType.slice(0, 100)}'`})`,
      ),
      outcome: "INVALID_REQUEST",
    };
  }
  const parsed = parsePurchaseBody(event.body, event.isBase64Encoded);
  if (!parsed.ok)
    return { response: errorResponse(400, "INVALID_REQUEST", parsed.problem), outcome: "INVALID_REQUEST" };
  const { sku } = parsed.body;
  const result = await shop.purchase({ shopper, ...parsed.body });
  log.purchase(result);
  if (result.ok) {
    return {
      response: json(result.replayed ? 200 : 201, { order: result.order }),
      sku,
      outcome: result.replayed ? "REPLAYED" : "CONFIRMED",
    };
  }
  const retryAfter = result.code === "TRY_AGAIN" ? String(result.details?.retryAfterSeconds ?? 1) : undefined;
  return {
    response: errorResponse(
      PURCHASE_ERROR_STATUS[result.code],
      result.code,
      result.message,
      result.details,
      retryAfter ? { "retry-after": retryAfter } : {},
    ),
    sku,
    outcome: result.code,
  };
};

const listOrders: RouteWork = async (_event, shopper, shop) => ({
  response: json(200, { orders: await shop.listOrders(shopper) }),
  outcome: "OK",
});

const getOrder: RouteWork = async (event, shopper, shop) => {
  const orderId = event.pathParameters?.orderId ?? "";
  if (idempotencyKeyProblem(orderId)) return invalidOrderId();
  // Another shopper's order is indistinguishable from a missing one: the key includes the caller's sub.
  const order = await shop.getOrder(shopper, orderId);
  return order
    ? { response: json(200, order), sku: order.sku, outcome: "OK" }
    : {
        response: errorResponse(404, "ORDER_NOT_FOUND", `You have no order '${orderId}'.`, { orderId }),
        outcome: "ORDER_NOT_FOUND",
      };
};

/** POST /orders/{orderId}/cancel: a held order given up before paying; its units go back. */
const cancelOrder: RouteWork = async (event, shopper, shop) => {
  const orderId = event.pathParameters?.orderId ?? "";
  if (idempotencyKeyProblem(orderId)) return invalidOrderId();
  const result = await shop.cancelOrder(shopper, orderId);
  if (result.ok) return { response: json(200, result.order), sku: result.order.sku, outcome: "CANCELLED" };
  return {
    response: errorResponse(result.code === "ORDER_NOT_FOUND" ? 404 : 409, result.code, result.message, { orderId }),
    outcome: result.code,
  };
};

/** What each applied event counts as on the dashboard (repeats and ignored events count as nothing). */
const WEBHOOK_SIGNALS: Partial<Record<EventOutcome, PaymentSignal>> = {
  confirmed: "confirmed",
  "confirmed-late": "confirmed",
  "noted-decline": "declined",
  "refunded-late": "refunded-late",
};

/**
 * POST /payments/webhook: the provider's event, verified against its signature over the exact bytes sent.
 * 200 once applied or already applied (the provider retries anything else); 400 when it does not verify.
 */
const paymentWebhook: PublicWork = async (event, shop, log) => {
  const raw = event.body ?? "";
  const rawBody = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  try {
    const outcome = await shop.applyPaymentWebhook({
      rawBody,
      signature: headerValue(event.headers, "stripe-signature"),
    });
    const signal = WEBHOOK_SIGNALS[outcome];
    if (signal) log.payment(signal);
    return { response: json(200, { received: true }), outcome: `WEBHOOK_${outcome.toUpperCase().replace(/-/g, "_")}` };
  } catch (error) {
    if (!(error instanceof InvalidWebhookError)) throw error;
    log.payment("webhook-rejected");
    return {
      response: errorResponse(400, "INVALID_SIGNATURE", `The webhook did not verify: ${error.message}`),
      outcome: "INVALID_SIGNATURE",
    };
  }
};

/**
 * GET /admission/{sku}[?ticket=…]: joins the waiting room on the first call, then says where the
 * shopper stands; once admitted, the body carries the pass the purchase needs. Polls that send back
 * the ticket are answered from memory (no DynamoDB call).
 */
const admission: RouteWork = async (event, shopper, shop) => {
  const sku = event.pathParameters?.sku ?? "";
  const ticket = event.queryStringParameters?.ticket;
  const result = await shop.admission(shopper, sku, ticket);
  if (!result.ok) {
    return {
      response: errorResponse(
        result.code === "INVALID_REQUEST" ? 400 : 404,
        result.code,
        result.message,
        result.details,
      ),
      sku,
      outcome: result.code,
    };
  }
  // Per shopper and changing by the second: never cached by a shared cache.
  return {
    response: json(200, result.view, { "cache-control": "private, no-store" }),
    sku,
    outcome: `ADMISSION_${result.view.state.toUpperCase().replace("-", "_")}`,
  };
};

export const shopperWork: Partial<Record<Route["handler"], RouteWork>> = {
  "list-products": listProducts,
  "get-product": getProduct,
  purchase,
  "list-orders": listOrders,
  "get-order": getOrder,
  "cancel-order": cancelOrder,
  admission,
};
export const publicWork: Partial<Record<Route["handler"], PublicWork>> = {
  availability,
  catalog,
  "payment-webhook": paymentWebhook,
};

/** Order ids are idempotency keys: anything else cannot name an order, so it never reaches the table. */
function invalidOrderId(): Outcome {
  return {
    response: errorResponse(
      400,
      "INVALID_REQUEST",
      "orderId must be 8-64 letters, digits, '-' or '_' (the purchase's idempotencyKey)",
    ),
    outcome: "INVALID_REQUEST",
  };
}

function headerValue(headers: ApiEvent["headers"] | undefined, name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}
