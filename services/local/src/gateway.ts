import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { ApiHandler } from "@flash-sale/services/http";
import { errorResponse } from "@flash-sale/services/http";
import { ACCESS_TOKEN_SCOPE, type Route } from "@flash-sale/services/routes";
import type { AccessTokenVerifier, Claims } from "./access-token";
import { edgeCached } from "./edge-cache";
import { FunctionConcurrency, type ConcurrencyLimit } from "./function-concurrency";
import { decodePath, robustServer, requestUrl, type ServerTimeouts } from "./http-server";
import { answer, GATEWAY_ANSWERS, type GatewayReply, readResult, toEvent, writeReply } from "./payload-v2";

/** Like API Gateway's own payload cap (10 MB there), far above the purchase body's 4 KiB rule. */
export const GATEWAY_MAX_BODY_BYTES = 1024 * 1024;

export interface GatewayOptions {
  routes: readonly Route[];
  handlerFor: (route: Route) => ApiHandler;
  verifier: AccessTokenVerifier;
  /** The storefront's origins, allowed by CORS (in AWS the API shares the storefront's origin). */
  allowedOrigins?: readonly string[];
  timeouts?: ServerTimeouts;
  /** Each function's concurrency, as Lambda limits it; a route without one is never shed. */
  limits?: Partial<Record<Route["handler"], ConcurrencyLimit>>;
  /** Told of each request shed (503 TRY_AGAIN) before its function ran, e.g. to count it as an error. */
  onShed?: (route: Route) => void;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  parameterNames: string[];
  handler: ApiHandler;
  concurrency: FunctionConcurrency | undefined;
}

function compile(route: Route, handler: ApiHandler, limit: ConcurrencyLimit | undefined): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    parameterNames.push(name);
    return "([^/]+)";
  });
  return {
    route,
    pattern: new RegExp(`^${source}$`),
    parameterNames,
    handler,
    concurrency: limit && new FunctionConcurrency(limit),
  };
}

/**
 * The API on this machine: the route table's handlers behind the same checks API Gateway makes
 * (route match, JWT authorizer), fed the same payload v2 events.
 */
export function createGateway(options: GatewayOptions): Server {
  // Public routes sit behind a shared cache, as CloudFront puts them in AWS.
  const compiled = options.routes.map((route) =>
    compile(route, edgeCached(route, options.handlerFor(route)), options.limits?.[route.handler]),
  );
  return robustServer("gateway", (request, response) => serve(request, response, compiled, options), options.timeouts);
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  routes: CompiledRoute[],
  options: GatewayOptions,
): Promise<void> {
  const cors = corsHeaders(request, options.allowedOrigins ?? []);
  const send = (reply: GatewayReply) => writeReply(response, reply, cors);
  const url = requestUrl(request);
  const method = request.method ?? "GET";
  if (!url || decodePath(url.pathname) === undefined) {
    request.resume();
    send(readResult(errorResponse(400, "INVALID_REQUEST", "The request path is malformed (a broken %-escape?).")));
    return;
  }
  const onPath = routes.filter((candidate) => candidate.pattern.test(url.pathname));

  // Locally only: the storefront is on another origin here (in AWS the API shares CloudFront's, no CORS configured).
  if (method === "OPTIONS" && onPath.length > 0) {
    response.writeHead(204, {
      ...cors,
      "access-control-allow-methods": onPath.map((c) => c.route.method).join(", "),
      "access-control-allow-headers": "authorization, content-type",
      "access-control-max-age": "600",
    });
    response.end();
    return;
  }
  // An HTTP API has no 405: a method without a route on a known path is as unknown as any other route.
  const match = onPath.find((candidate) => candidate.route.method === method);
  if (!match) {
    request.resume();
    send(answer(GATEWAY_ANSWERS.notFound));
    return;
  }

  const body = await readBody(request);
  if (body === undefined) {
    send(answer(GATEWAY_ANSWERS.tooLarge));
    return;
  }
  // Throttled before the token is checked, as API Gateway's throttles are: a shed request costs next to nothing.
  const release = await match.concurrency?.acquire();
  if (match.concurrency && !release) {
    options.onShed?.(match.route);
    send(readResult(SHED));
    return;
  }
  try {
    let claims: Claims | undefined;
    if (match.route.auth) {
      claims = await authorize(request.headers.authorization, options.verifier);
      if (!claims) {
        send(answer(GATEWAY_ANSWERS.unauthorized));
        return;
      }
      // A valid token without one of the route's scopes (an ID token has none) is refused after validation: 403.
      if (!tokenScopes(claims).some((scope) => ROUTE_SCOPES.includes(scope))) {
        send(answer(GATEWAY_ANSWERS.forbidden));
        return;
      }
    }
    const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
    const event = toEvent({
      request,
      url,
      routeKey: `${match.route.method} ${match.route.path}`,
      // serve() refused paths whose escapes do not decode, so every segment decodes.
      pathParameters: match.parameterNames.length
        ? Object.fromEntries(match.parameterNames.map((name, i) => [name, decodePath(values[i] ?? "") ?? ""]))
        : undefined,
      body,
      claims,
      routeScopes: match.route.auth ? ROUTE_SCOPES : [],
    });
    let result: unknown;
    try {
      result = await match.handler(event);
    } catch (error) {
      // A function that fails is API Gateway's 500, never the function's own words.
      process.stderr.write(`gateway: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      send(answer(GATEWAY_ANSWERS.internalError));
      return;
    }
    send(readResult(result));
  } finally {
    release?.();
  }
}

/** The scopes every signed-in route names (the Pulumi program's authorizationScopes). */
const ROUTE_SCOPES: readonly string[] = [ACCESS_TOKEN_SCOPE];

function tokenScopes(claims: Claims): string[] {
  const scope = claims.scope ?? claims.scp;
  return typeof scope === "string" ? scope.split(" ") : Array.isArray(scope) ? scope : [];
}

const SHED = errorResponse(
  503,
  "TRY_AGAIN",
  "The shop is busy right now; retry with the same idempotencyKey.",
  { retryAfterSeconds: 1 },
  { "retry-after": "1" },
);

async function authorize(header: string | undefined, verifier: AccessTokenVerifier): Promise<Claims | undefined> {
  const token = /^Bearer ([^\s]+)$/.exec(header ?? "")?.[1];
  if (!token) return undefined;
  try {
    return await verifier.verify(token);
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY_BYTES) {
        request.removeAllListeners("data");
        request.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function corsHeaders(request: IncomingMessage, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.origin;
  if (!origin || !allowedOrigins.includes(origin)) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "retry-after", vary: "origin" };
}
