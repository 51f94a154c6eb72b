import { StoreUnavailableError } from "../domain/ports";
import type { Shop } from "../domain/shop";
import { ORIGIN_SECRET_ENV, ORIGIN_SECRET_HEADER, type Route } from "../routes";
import { containerLog, type FunctionLog } from "./log";
import { errorResponse } from "./response";
import { publicWork, shopperWork } from "./route-work";
import type { ApiHandler, Outcome, PublicWork, RouteWork } from "./work";

export type { ApiEvent, ApiHandler } from "./work";

export interface HandlerOptions {
  /** A shopper never waits longer than this (ms): past it the answer is 503 TRY_AGAIN, whatever the engine does. */
  deadlineMs?: number;
  /** Where the handler's lines go; by default the container's one log (environment read once, here). */
  log?: FunctionLog;
}

/** Under API Gateway's 30 s and Lambda's timeout, and short enough that a shopper's retry is worth it. */
export const DEFAULT_DEADLINE_MS = 2_500;
const RETRY_AFTER_SECONDS = "1";

const tryAgain = (message: string): Outcome => ({
  response: errorResponse(
    503,
    "TRY_AGAIN",
    message,
    { retryAfterSeconds: Number(RETRY_AFTER_SECONDS) },
    { "retry-after": RETRY_AFTER_SECONDS },
  ),
  outcome: "TRY_AGAIN",
});

/**
 * Wraps a route's work with what every handler needs: CloudFront's origin secret when the function has one
 * (else 401, as for a missing token: the request did not come the only way in), the shopper from the JWT
 * authorizer's claims (unless the route is public), one log line, a deadline, 503 TRY_AGAIN for any fault of the engine,
 * and a 500 that leaks nothing when something unexpected (a bug) breaks.
 */
function httpHandler(
  routeKey: string,
  getShop: () => Shop,
  work: { shopper: RouteWork } | { public: PublicWork },
  deadlineMs: number,
  log: FunctionLog,
): ApiHandler {
  const originSecret = process.env[ORIGIN_SECRET_ENV];
  return async (event) => {
    const started = performance.now();
    let result: Outcome;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    try {
      const shopper = event.requestContext.authorizer?.jwt?.claims?.sub;
      result =
        // Both absent locally (no CloudFront, no secret); in AWS only CloudFront knows the value.
        event.headers?.[ORIGIN_SECRET_HEADER] === originSecret &&
        ("public" in work || (typeof shopper === "string" && shopper !== ""))
          ? await Promise.race([
              "public" in work
                ? work.public(event, getShop(), log)
                : work.shopper(event, shopper as string, getShop(), log),
              // The work goes on in the background; for a purchase its outcome is unknown, and the
              // shopper's retry with the same idempotency key gets the order or a fresh attempt.
              // Past the deadline it is an engine fault like any other: the same 503, log line and metric.
              new Promise<Outcome>((_, reject) => {
                deadline = setTimeout(() => reject(new StoreUnavailableError("deadline")), deadlineMs);
              }),
            ])
          : {
              response: errorResponse(401, "UNAUTHORIZED", "A valid access token is required."),
              outcome: "UNAUTHORIZED",
            };
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        log.engineFault(routeKey, error.message);
        result = tryAgain("The shop's database is busy, slow or unreachable right now; please retry.");
      } else {
        log.bug(routeKey, error);
        result = {
          response: errorResponse(500, "INTERNAL_ERROR", "Something went wrong on our side; please try again."),
          outcome: "INTERNAL_ERROR",
        };
      }
    } finally {
      clearTimeout(deadline);
    }
    log.request({
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

/**
 * Builds the handler a route table row names, over the given shop (one per container). A public row must
 * name public work, and an authenticated row work for a shopper, so a table edit cannot expose a shopper's data.
 */
export function createHandler(
  route: Pick<Route, "method" | "path" | "handler" | "auth">,
  getShop: () => Shop,
  options: HandlerOptions = {},
): ApiHandler {
  const routeKey = `${route.method} ${route.path}`;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const log = options.log ?? containerLog();
  const forShopper = shopperWork[route.handler];
  const forAnyone = publicWork[route.handler];
  if (route.auth && forShopper) return httpHandler(routeKey, getShop, { shopper: forShopper }, deadlineMs, log);
  if (!route.auth && forAnyone) return httpHandler(routeKey, getShop, { public: forAnyone }, deadlineMs, log);
  throw new Error(
    `route ${routeKey}: handler '${route.handler}' cannot serve a ${route.auth ? "signed-in" : "public"} route`,
  );
}
