import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import type { Shop } from "../domain/shop";
import { skuProblem } from "../domain/validation";
import type { Route } from "../routes";
import { parsePurchaseBody } from "./purchase-body";
import { recordPurchase } from "./metrics";
import { logRequest } from "./request-log";
import { errorResponse, json, PURCHASE_ERROR_STATUS, type HttpResult } from "./response";

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiHandler = (event: ApiEvent) => Promise<HttpResult>;

/** What a route's work reports besides the response, for the request log. */
interface Outcome {
  response: HttpResult;
  sku?: string;
  outcome?: string;
}

type RouteWork = (event: ApiEvent, shopper: string, shop: Shop) => Promise<Outcome>;

/**
 * Wraps a route's work with what every handler needs: the shopper from the JWT authorizer's claims,
 * one log line, and a 500 that leaks nothing when something unexpected breaks.
 */
function httpHandler(routeKey: string, getShop: () => Shop, work: RouteWork): ApiHandler {
  return async (event) => {
    const started = performance.now();
    let result: Outcome;
    try {
      const shopper = event.requestContext.authorizer?.jwt?.claims?.sub;
      result =
        typeof shopper === "string" && shopper !== ""
          ? await work(event, shopper, getShop())
          : { response: errorResponse(401, "UNAUTHORIZED", "A valid access token is required."), outcome: "UNAUTHORIZED" };
    } catch (error) {
      process.stderr.write(`${JSON.stringify({ level: "error", route: routeKey, error: error instanceof Error ? error.stack ?? error.message : String(error) })}\n`);
      result = { response: errorResponse(500, "INTERNAL_ERROR", "Something went wrong on our side; please try again."), outcome: "INTERNAL_ERROR" };
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
  // Another shopper's order is indistinguishable from a missing one: the key includes the caller's sub.
  const order = orderId ? await shop.getOrder(shopper, orderId) : undefined;
  return order
    ? { response: json(200, order), sku: order.sku, outcome: "OK" }
    : { response: errorResponse(404, "ORDER_NOT_FOUND", `You have no order '${orderId}'.`, { orderId }), outcome: "ORDER_NOT_FOUND" };
};

const work: Record<Route["handler"], RouteWork> = { listProducts, getProduct, purchase, listOrders, getOrder };

/** Builds the handler a route table row names, over the given shop (one per container). */
export function createHandler(route: Pick<Route, "method" | "path" | "handler">, getShop: () => Shop): ApiHandler {
  return httpHandler(`${route.method} ${route.path}`, getShop, work[route.handler]);
}
