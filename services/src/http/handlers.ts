import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { StoreUnavailableError } from "../domain/ports";
import type { Shop } from "../domain/shop";
import { idempotencyKeyProblem, skuProblem } from "../domain/validation";
import type { Route } from "../routes";
import { admission } from "./admission-route";
import { parsePurchaseBody } from "./purchase-body";
import { recordPurchase } from "./metrics";
import { logRequest } from "./request-log";
import { errorResponse, json, PURCHASE_ERROR_STATUS, type HttpResult } from "./response";

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiHandler = (event: ApiEvent) => Promise<HttpResult>;

/** What a route's work reports besides the response, for the request log. */
export interface Outcome {
  response: HttpResult;
  sku?: string;
  outcome?: string;
}

export type RouteWork = (event: ApiEvent, shopper: string, shop: Shop) => Promise<Outcome>;
/** Work that needs no shopper: the only kind a public (auth: false) route may do. */
type PublicWork = (event: ApiEvent, shop: Shop) => Promise<Outcome>;

export interface HandlerOptions {
  /** A shopper never waits longer than this (ms): past it the answer is 503 TRY_AGAIN, whatever the engine does. */
  deadlineMs?: number;
}

/** Under API Gateway's 30 s and Lambda's timeout, and short enough that a shopper's retry is worth it. */
export const DEFAULT_DEADLINE_MS = 2_500;
const RETRY_AFTER_SECONDS = "1";

const tryAgain = (message: string): Outcome => ({
  response: errorResponse(503, "TRY_AGAIN", message, { retryAfterSeconds: Number(RETRY_AFTER_SECONDS) }, { "retry-after": RETRY_AFTER_SECONDS }),
  outcome: "TRY_AGAIN",
});

/**
 * Wraps a route's work with what every handler needs: the shopper from the JWT authorizer's claims
 * (unless the route is public), one log line, a deadline, 503 TRY_AGAIN for any fault of the engine,
 * and a 500 that leaks nothing when something unexpected (a bug) breaks.
 */
function httpHandler(routeKey: string, getShop: () => Shop, work: { shopper: RouteWork } | { public: PublicWork }, deadlineMs: number): ApiHandler {
  return async (event) => {
    const started = performance.now();
    let result: Outcome;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    try {
      const shopper = event.requestContext.authorizer?.jwt?.claims?.sub;
      result =
        "public" in work || (typeof shopper === "string" && shopper !== "")
          ? await Promise.race([
              "public" in work ? work.public(event, getShop()) : work.shopper(event, shopper as string, getShop()),
              // The work goes on in the background; for a purchase its outcome is unknown, and the
              // shopper's retry with the same idempotency key gets the order or a fresh attempt.
              new Promise<Outcome>((resolve) => {
                deadline = setTimeout(() => resolve(tryAgain("The shop is not answering fast enough right now; please retry.")), deadlineMs);
              }),
            ])
          : { response: errorResponse(401, "UNAUTHORIZED", "A valid access token is required."), outcome: "UNAUTHORIZED" };
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        // Silenced with the request logs (FLASH_SALE_LOGS=off): a fault drill would print thousands.
        if (process.env.FLASH_SALE_LOGS !== "off") process.stderr.write(`${JSON.stringify({ level: "warn", route: routeKey, fault: error.message })}\n`);
        result = tryAgain("The shop's database is busy or unreachable right now; please retry.");
      } else {
        process.stderr.write(`${JSON.stringify({ level: "error", route: routeKey, error: error instanceof Error ? error.stack ?? error.message : String(error) })}\n`);
        result = { response: errorResponse(500, "INTERNAL_ERROR", "Something went wrong on our side; please try again."), outcome: "INTERNAL_ERROR" };
      }
    } finally {
      clearTimeout(deadline);
    }
    logRequest({
      route: routeKey,
      status: result.response.statusCode,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      ...(result.sku ? { sku: result.sku } : {}),
      ...(result.outcome ? { outcome: result.outcome } : {}),
      ...(event.requestContext.requestId ? { requestId: event.requestContext.requestId } : {}),
    });
    return result.response;
  };
}

/** Shared caches (CloudFront, the local gateway's edge cache) may keep the feed for a second: what makes polling cheap. */
export const AVAILABILITY_CACHE_CONTROL = "public, max-age=1";

const availability: PublicWork = async (_event, shop) => ({
  response: json(200, await shop.availability(), { "cache-control": AVAILABILITY_CACHE_CONTROL }),
  outcome: "OK",
});

const listProducts: RouteWork = async (_event, _shopper, shop) => ({ response: json(200, await shop.listProducts()), outcome: "OK" });

const getProduct: RouteWork = async (event, _shopper, shop) => {
  const sku = event.pathParameters?.sku ?? "";
  const problem = skuProblem(sku);
  if (problem) return { response: errorResponse(400, "INVALID_REQUEST", problem), outcome: "INVALID_REQUEST" };
  const product = await shop.getProduct(sku);
  return product
    ? { response: json(200, product), sku, outcome: "OK" }
    : { response: errorResponse(404, "PRODUCT_NOT_FOUND", `No product has sku '${sku}'.`, { sku }), sku, outcome: "PRODUCT_NOT_FOUND" };
};

const purchase: RouteWork = async (event, shopper, shop) => {
  const contentType = headerValue(event.headers, "content-type");
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? "")) {
    return { response: errorResponse(400, "INVALID_REQUEST", `content-type must be application/json (got ${contentType === undefined ? "none" : `'${contentType.slice(0, 100)}'`})`), outcome: "INVALID_REQUEST" };
  }
  const parsed = parsePurchaseBody(event.body, event.isBase64Encoded);
  if (!parsed.ok) return { response: errorResponse(400, "INVALID_REQUEST", parsed.problem), outcome: "INVALID_REQUEST" };
  const { sku } = parsed.body;
  const result = await shop.purchase({ shopper, ...parsed.body });
  recordPurchase(result);
  if (result.ok) {
    return { response: json(result.replayed ? 200 : 201, { order: result.order }), sku, outcome: result.replayed ? "REPLAYED" : "CONFIRMED" };
  }
  const retryAfter = result.code === "TRY_AGAIN" ? String(result.details?.retryAfterSeconds ?? 1) : undefined;
  return {
    response: errorResponse(PURCHASE_ERROR_STATUS[result.code], result.code, result.message, result.details, retryAfter ? { "retry-after": retryAfter } : {}),
    sku,
    outcome: result.code,
  };
};

const listOrders: RouteWork = async (_event, shopper, shop) => ({ response: json(200, { orders: await shop.listOrders(shopper) }), outcome: "OK" });

const getOrder: RouteWork = async (event, shopper, shop) => {
  const orderId = event.pathParameters?.orderId ?? "";
  // Order ids are idempotency keys: anything else cannot name an order, so it never reaches the table.
  if (idempotencyKeyProblem(orderId)) {
    return { response: errorResponse(400, "INVALID_REQUEST", "orderId must be 8-64 letters, digits, '-' or '_' (the purchase's idempotencyKey)"), outcome: "INVALID_REQUEST" };
  }
  // Another shopper's order is indistinguishable from a missing one: the key includes the caller's sub.
  const order = await shop.getOrder(shopper, orderId);
  return order
    ? { response: json(200, order), sku: order.sku, outcome: "OK" }
    : { response: errorResponse(404, "ORDER_NOT_FOUND", `You have no order '${orderId}'.`, { orderId }), outcome: "ORDER_NOT_FOUND" };
};

const shopperWork: Partial<Record<Route["handler"], RouteWork>> = { listProducts, getProduct, purchase, listOrders, getOrder, admission };
const publicWork: Partial<Record<Route["handler"], PublicWork>> = { availability };

/**
 * Builds the handler a route table row names, over the given shop (one per container). A public row must
 * name public work, and an authenticated row work for a shopper, so a table edit cannot expose a shopper's data.
 */
export function createHandler(route: Pick<Route, "method" | "path" | "handler" | "auth">, getShop: () => Shop, options: HandlerOptions = {}): ApiHandler {
  const routeKey = `${route.method} ${route.path}`;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const forShopper = shopperWork[route.handler];
  const forAnyone = publicWork[route.handler];
  if (route.auth && forShopper) return httpHandler(routeKey, getShop, { shopper: forShopper }, deadlineMs);
  if (!route.auth && forAnyone) return httpHandler(routeKey, getShop, { public: forAnyone }, deadlineMs);
  throw new Error(`route ${routeKey}: handler '${route.handler}' cannot serve a ${route.auth ? "signed-in" : "public"} route`);
}

function headerValue(headers: ApiEvent["headers"] | undefined, name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}
