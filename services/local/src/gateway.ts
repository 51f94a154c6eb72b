import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { ApiEvent, ApiHandler } from "@flash-sale/services/http";
import { errorResponse, type HttpResult } from "@flash-sale/services/http";
import type { Route } from "@flash-sale/services/routes";
import type { AccessTokenVerifier, Claims } from "./access-token";
import { edgeCached } from "./edge-cache";
import { FunctionConcurrency, type ConcurrencyLimit } from "./function-concurrency";
import { decodePath, robustServer, requestUrl, type ServerTimeouts } from "./http-server";

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
  const url = requestUrl(request);
  const method = request.method ?? "GET";
  if (!url || decodePath(url.pathname) === undefined) {
    request.resume();
    send(response, errorResponse(400, "INVALID_REQUEST", "The request path is malformed (a broken %-escape?)."), cors);
    return;
  }
  const onPath = routes.filter((candidate) => candidate.pattern.test(url.pathname));

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
  const match = onPath.find((candidate) => candidate.route.method === method);
  if (!match) {
    const result =
      onPath.length > 0
        ? errorResponse(
            405,
            "METHOD_NOT_ALLOWED",
            `${method} is not allowed on ${url.pathname}.`,
            {},
            { allow: onPath.map((c) => c.route.method).join(", ") },
          )
        : errorResponse(404, "NOT_FOUND", `No route for ${method} ${url.pathname}.`);
    request.resume();
    send(response, result, cors);
    return;
  }

  const body = await readBody(request);
  if (body === undefined) {
    send(
      response,
      errorResponse(413, "PAYLOAD_TOO_LARGE", `Request bodies are limited to ${GATEWAY_MAX_BODY_BYTES} bytes.`),
      cors,
    );
    return;
  }
  // Throttled before the token is checked, as API Gateway's throttles are: a shed request costs next to nothing.
  const release = await match.concurrency?.acquire();
  if (match.concurrency && !release) {
    options.onShed?.(match.route);
    send(response, SHED, cors);
    return;
  }
  try {
    let claims: Claims | undefined;
    if (match.route.auth) {
      claims = await authorize(request.headers.authorization, options.verifier);
      if (!claims) {
        send(
          response,
          errorResponse(
            401,
            "UNAUTHORIZED",
            "A valid Cognito access token is required: Authorization: Bearer <token>.",
          ),
          { ...cors, "www-authenticate": "Bearer" },
        );
        return;
      }
    }
    const event = toEvent(request, url, match, body, claims);
    send(response, await match.handler(event), cors);
  } finally {
    release?.();
  }
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

function readBody(request: IncomingMessage): Promise<string | undefined> {
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
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** API Gateway HTTP API payload format 2.0, as the JWT authorizer hands it to Lambda. */
function toEvent(
  request: IncomingMessage,
  url: URL,
  match: CompiledRoute,
  body: string,
  claims: Claims | undefined,
): ApiEvent {
  const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
  // serve() refused paths whose escapes do not decode, so every segment decodes.
  const pathParameters = Object.fromEntries(
    match.parameterNames.map((name, i) => [name, decodePath(values[i] ?? "") ?? ""]),
  );
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(",") : (value ?? ""),
    ]),
  );
  const routeKey = `${match.route.method} ${match.route.path}`;
  const now = new Date();
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    ...(match.parameterNames.length ? { pathParameters } : {}),
    ...(body ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: {
        principalId: "",
        integrationLatency: 0,
        jwt: { claims: (claims ?? {}) as Record<string, string>, scopes: [] },
      },
      domainName: headers.host ?? "localhost",
      domainPrefix: "localhost",
      http: {
        method: match.route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}

function corsHeaders(request: IncomingMessage, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.origin;
  if (!origin || !allowedOrigins.includes(origin)) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "retry-after", vary: "origin" };
}

function send(response: ServerResponse, result: HttpResult, extraHeaders: Record<string, string>): void {
  const headers = { ...(result.headers as Record<string, string> | undefined), ...extraHeaders };
  response.writeHead(result.statusCode, headers);
  response.end(result.body);
}
