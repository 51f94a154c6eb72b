import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiEvent } from "@flash-sale/services/http";

/**
 * API Gateway HTTP API payload format 2.0 as AWS builds it, for the local gateway: the event a Lambda proxy
 * integration receives, and how API Gateway reads the function's answer. The shape follows AWS's documentation
 * ("Create AWS Lambda proxy integrations for HTTP APIs") and events AWS recorded (test/fixtures/aws-events):
 * - a route without an authorizer gets no `requestContext.authorizer.jwt`; a JWT route gets
 *   `{jwt: {claims, scopes}}` and nothing else (no principalId, no integrationLatency);
 * - every claim is a string: numbers and booleans as text, arrays as `[a b]`, objects as JSON; null claims left out;
 * - `scopes` is null unless the route names authorization scopes (then the token's scopes);
 * - duplicate headers and query parameters are joined with commas; `Cookie` headers become the `cookies` array
 *   and leave `headers`;
 * - a body that is not text (by its content-type) is base64 with `isBase64Encoded: true`;
 * - `requestContext.time` is in the access log's format, `12/Mar/2020:19:03:58 +0000`.
 */

/** API Gateway's own answers, not the contract's: what a client of the real API sees from the gateway itself. */
export const GATEWAY_ANSWERS = {
  unauthorized: { statusCode: 401, message: "Unauthorized", headers: { "www-authenticate": "Bearer" } },
  forbidden: { statusCode: 403, message: "Forbidden", headers: {} },
  notFound: { statusCode: 404, message: "Not Found", headers: {} },
  tooLarge: { statusCode: 413, message: "Request Entity Too Large", headers: {} },
  internalError: { statusCode: 500, message: "Internal Server Error", headers: {} },
} as const;

export type GatewayAnswer = (typeof GATEWAY_ANSWERS)[keyof typeof GATEWAY_ANSWERS];

/** One claim as the JWT authorizer hands it to Lambda; undefined for a null claim, which AWS leaves out. */
export function claimValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value;
  // Go's fmt rendering of a list: `[admin poweruser]`.
  if (Array.isArray(value))
    return `[${value.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join(" ")}]`;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function stringClaims(claims: Record<string, unknown>): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    const text = claimValue(value);
    if (text !== undefined) rendered[name] = text;
  }
  return rendered;
}

/** Content types API Gateway passes as text; any other body (or one without a content-type) arrives base64. */
export function isTextContent(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return (
    type.startsWith("text/") ||
    type === "application/json" ||
    type.endsWith("+json") ||
    type === "application/xml" ||
    type.endsWith("+xml") ||
    type === "application/javascript"
  );
}

export interface EventInput {
  request: IncomingMessage;
  url: URL;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  body: Buffer;
  /** The verified token's claims (JSON types) on a JWT route; undefined on a public route. */
  claims: Record<string, unknown> | undefined;
  /** The route's authorization scopes (empty: none configured). */
  routeScopes: readonly string[];
  now?: Date;
}

/** The payload 2.0 event API Gateway would hand the route's function for this request. */
export function toEvent(input: EventInput): ApiEvent {
  const { request, url, routeKey, body, claims } = input;
  const now = input.now ?? new Date();
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (!values) continue;
    if (name === "cookie") {
      for (const value of values)
        cookies.push(
          ...value
            .split(";")
            .map((c) => c.trim())
            .filter(Boolean),
        );
    } else headers[name] = values.join(",");
  }
  const sourceIp = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${sourceIp}` : sourceIp;
  headers["x-forwarded-proto"] ??= "http";
  headers["x-forwarded-port"] ??= String(request.socket.localPort ?? "");

  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const text = body.length > 0 && isTextContent(headers["content-type"]);
  const tokenScopes = typeof claims?.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];

  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(url.search.length > 1 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      ...(claims
        ? {
            authorizer: {
              jwt: {
                claims: stringClaims(claims),
                scopes: input.routeScopes.length ? tokenScopes : null,
              },
            },
          }
        : {}),
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(/[.:]/)[0] ?? "localhost",
      http: {
        method: request.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomRequestId(),
      routeKey,
      stage: "$default",
      time: accessLogTime(now),
      timeEpoch: now.getTime(),
    },
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    ...(body.length > 0 ? { body: body.toString(text ? "utf8" : "base64") } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

/** Like API Gateway's request ids (`ZhMpgigvDoEEPlg=`): 10 random bytes in base64. */
function randomRequestId(): string {
  return randomBytes(10).toString("base64");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `17/Jun/2024:15:49:29 +0000`, as `requestContext.time` is written. */
export function accessLogTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

export interface GatewayReply {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/**
 * How API Gateway reads a payload 2.0 function's answer: a structured answer (one with `statusCode`) gives its
 * status, headers, `cookies` (each a Set-Cookie header) and body (decoded when `isBase64Encoded`); anything else
 * is taken as a JSON body with status 200. An answer API Gateway cannot use is its own 500.
 */
export function readResult(result: unknown): GatewayReply {
  if (typeof result === "object" && result !== null && "statusCode" in result) {
    const structured = result as {
      statusCode: unknown;
      headers?: unknown;
      cookies?: unknown;
      body?: unknown;
      isBase64Encoded?: unknown;
    };
    const status = structured.statusCode;
    if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599)
      return answer(GATEWAY_ANSWERS.internalError);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((structured.headers as Record<string, unknown> | undefined) ?? {}))
      headers[name.toLowerCase()] = String(value);
    const cookies = Array.isArray(structured.cookies) ? structured.cookies.map(String) : [];
    const rawBody = typeof structured.body === "string" ? structured.body : "";
    const body = structured.isBase64Encoded === true ? Buffer.from(rawBody, "base64") : Buffer.from(rawBody, "utf8");
    return { statusCode: status, headers, cookies, body };
  }
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    cookies: [],
    body: Buffer.from(JSON.stringify(result ?? null)),
  };
}

/** One of API Gateway's own answers, `{"message": "..."}`. */
export function answer(which: GatewayAnswer): GatewayReply {
  return {
    statusCode: which.statusCode,
    headers: { "content-type": "application/json", ...which.headers },
    cookies: [],
    body: Buffer.from(JSON.stringify({ message: which.message })),
  };
}

export function writeReply(response: ServerResponse, reply: GatewayReply, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string | string[]> = { ...reply.headers, ...extraHeaders };
  if (reply.cookies.length) headers["set-cookie"] = reply.cookies;
  response.writeHead(reply.statusCode, headers);
  response.end(reply.body);
}
