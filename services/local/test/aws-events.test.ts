import { readFileSync } from "node:fs";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createHandler, createLog, type ApiEvent, type ApiHandler } from "@flash-sale/services/http";
import { ACCESS_TOKEN_SCOPE, routes, type Route } from "@flash-sale/services/routes";
import type { AccessTokenVerifier, Claims } from "../src/access-token";
import { createGateway } from "../src/gateway";
import { claimValue, toEvent } from "../src/payload-v2";

/**
 * AWS's own HTTP API events (fixtures/aws-events, see its README) fed to the handlers directly, and the same
 * requests sent through the local gateway: the gateway must build the events AWS builds, and the handlers must
 * answer both alike.
 */

type Sample = ApiEvent & { cookies?: string[] };
const fixture = (name: string): Sample =>
  JSON.parse(readFileSync(join(__dirname, "fixtures/aws-events", name), "utf8")) as Sample;
const JWT_SAMPLE = fixture("powertools-apigw-http-jwt-authorizer-auth.json");
const PUBLIC_SAMPLE = fixture("powertools-apigw-http-no-auth.json");
/** `sam local generate-event apigateway http-api-proxy --path payments/webhook`, tags at event-mapping.json's defaults. */
const SAM_SAMPLE = JSON.parse(
  readFileSync(join(__dirname, "fixtures/aws-events/sam-cli-HttpApi.json"), "utf8")
    .replaceAll("{{{path}}}", "payments/webhook")
    .replaceAll("{{{method}}}", "POST")
    .replaceAll("{{{body}}}", Buffer.from('{"test":"body"}').toString("base64"))
    .replaceAll("{{{stage}}}", "$default")
    .replaceAll("{{{account_id}}}", "123456789012")
    .replaceAll("{{{dns_suffix}}}", "us-east-1.amazonaws.com"),
) as Sample;

/** The sample as AWS would send it for one of our routes (only the route's names change). */
function onRoute(sample: Sample, method: Route["method"], path: string, routePath = path): ApiEvent {
  const event = structuredClone(sample);
  event.routeKey = `${method} ${routePath}`;
  event.rawPath = path;
  event.requestContext.routeKey = event.routeKey;
  event.requestContext.http = { ...event.requestContext.http, method, path };
  return event;
}

const FEED = { products: [{ sku: "tee", available: 3, soldOut: false }], serverTime: "2026-12-06T03:00:00.000Z" };
const webhookBodies: string[] = [];
const shop = {
  availability: async () => FEED,
  listOrders: async (shopper: string) => [{ orderId: `order-of-${shopper}`, status: "CONFIRMED" }],
  applyPaymentWebhook: async (webhook: { rawBody: string }) => {
    webhookBodies.push(webhook.rawBody);
    return "ignored";
  },
} as unknown as ReturnType<Parameters<typeof createHandler>[1]>;
const log = createLog({ logs: false, serviceName: "test", metricsNamespace: "test" });
const handlers = new Map<string, ApiHandler>(
  routes.map((route) => [`${route.method} ${route.path}`, createHandler(route, () => shop, { log })]),
);
const handler = (routeKey: string): ApiHandler => handlers.get(routeKey) as ApiHandler;

const AWS_JWT = JWT_SAMPLE.requestContext.authorizer?.jwt;
const AWS_CLAIMS = AWS_JWT?.claims ?? {};

/** The JWT sample's token, as the verifier decodes it: claims in their JSON types, an access token with its scope. */
const JSON_CLAIMS: Claims = {
  ...Object.fromEntries(
    Object.entries(AWS_CLAIMS).map(([name, value]) => [name, /^\d+$/.test(String(value)) ? Number(value) : value]),
  ),
  token_use: "access",
  scope: ACCESS_TOKEN_SCOPE,
  "cognito:groups": ["admin", "poweruser"],
};
const verifier: AccessTokenVerifier = {
  verify: async (token) => {
    if (token === "sample-token") return JSON_CLAIMS;
    if (token === "unscoped-token") return { ...JSON_CLAIMS, scope: "openid" };
    throw new Error("unknown token");
  },
};

/** Extra routes whose functions answer as a test says (payload 2.0 responses API Gateway must read). */
const ANSWERS: Record<string, unknown> = {
  "/echo/cookies": {
    statusCode: 200,
    cookies: ["a=1; Path=/; HttpOnly", "b=2"],
    headers: { "content-type": "text/plain" },
    isBase64Encoded: true,
    body: Buffer.from("bytes \u00e9").toString("base64"),
  },
  "/echo/plain": { hello: "world" },
};

const captured: ApiEvent[] = [];
let server: Server;
let base: { host: string; port: number };
beforeAll(async () => {
  const extra: Route[] = Object.keys(ANSWERS).map((path) => ({
    method: "GET",
    path,
    handler: "availability",
    auth: false,
    dynamodbActions: [],
  }));
  extra.push({ method: "GET", path: "/echo/throws", handler: "availability", auth: false, dynamodbActions: [] });
  server = createGateway({
    routes: [...routes, ...extra],
    handlerFor: (route) => async (event) => {
      captured.push(event);
      if (route.path === "/echo/throws") throw new Error("a bug");
      if (route.path in ANSWERS) return ANSWERS[route.path] as never;
      return handler(`${route.method} ${route.path}`)(event);
    },
    verifier,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = { host: "127.0.0.1", port: (server.address() as AddressInfo).port };
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  captured.length = 0;
  webhookBodies.length = 0;
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (repeated headers sent as repeated lines, any header allowed). */
function send(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string | string[]> = {},
  body?: Buffer,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ ...base, method, path: pathAndQuery, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The request a sample event stands for, sent to the local gateway. */
function replay(sample: ApiEvent & { cookies?: string[] }, extraHeaders: Record<string, string> = {}): Promise<Reply> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(sample.headers)) {
    if (["host", "content-length", "x-forwarded-for", "x-forwarded-port", "x-forwarded-proto"].includes(name)) continue;
    // A header AWS joined from repeated lines is sent as repeated lines.
    headers[name] = value?.includes(",") ? value.split(",") : (value ?? "");
  }
  if (sample.cookies) headers.cookie = sample.cookies.join("; ");
  const body =
    sample.body === undefined ? undefined : Buffer.from(sample.body, sample.isBase64Encoded ? "base64" : "utf8");
  const query = sample.rawQueryString ? `?${sample.rawQueryString}` : "";
  return send(sample.requestContext.http.method, `${sample.rawPath}${query}`, { ...headers, ...extraHeaders }, body);
}

const lowerKeys = (headers: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

describe("a public route, as AWS's no-auth event shows it", () => {
  const sample = onRoute(PUBLIC_SAMPLE, "GET", "/availability");

  // One request only: the gateway's edge cache would answer a second one without calling the function.
  test("the handler answers AWS's event and the same request through the gateway alike; neither has a JWT block", async () => {
    const direct = await handler("GET /availability")(sample);
    const viaGateway = await replay(sample);

    expect(direct.statusCode).toBe(200);
    expect(viaGateway.status).toBe(direct.statusCode);
    expect(JSON.parse(viaGateway.body)).toEqual(JSON.parse(direct.body));
    expect(captured).toHaveLength(1);
    expect(sample.requestContext.authorizer?.jwt).toBeUndefined();
    expect(captured[0]?.requestContext.authorizer).toBeUndefined();
  });

  test("AWS's public event sent to a signed-in route's handler is its 401, not a crash", async () => {
    const reply = await handler("GET /orders")(onRoute(PUBLIC_SAMPLE, "GET", "/orders"));

    expect(reply.statusCode).toBe(401);
  });
});

describe("a JWT route, as AWS's Cognito-authorizer event shows it", () => {
  const sample = onRoute(JWT_SAMPLE, "GET", "/orders");

  test("the handler answers AWS's event, and the same request through the gateway, alike", async () => {
    const direct = await handler("GET /orders")(sample);
    const viaGateway = await replay(sample, { authorization: "Bearer sample-token" });

    expect(direct.statusCode).toBe(200);
    expect(JSON.parse(direct.body)).toEqual({
      orders: [{ orderId: `order-of-${AWS_CLAIMS.sub}`, status: "CONFIRMED" }],
    });
    expect(viaGateway.status).toBe(direct.statusCode);
    expect(JSON.parse(viaGateway.body)).toEqual(JSON.parse(direct.body));
  });

  test("every claim is a string, as AWS renders them (numbers as text, arrays as [a b])", async () => {
    await replay(sample, { authorization: "Bearer sample-token" });
    const authorizer = captured[0]?.requestContext.authorizer as unknown as Record<string, unknown>;
    const claims = captured[0]?.requestContext.authorizer?.jwt?.claims ?? {};

    expect(Object.keys(authorizer)).toEqual(Object.keys(JWT_SAMPLE.requestContext.authorizer ?? {}));
    for (const [name, value] of Object.entries(AWS_CLAIMS)) if (name !== "token_use") expect(claims[name]).toBe(value);
    for (const value of Object.values(claims)) expect(typeof value).toBe("string");
    expect(claims["cognito:groups"]).toBe("[admin poweruser]");
  });

  test("scopes: the token's on a route that requires scopes (ours), null on one that does not (AWS's sample)", async () => {
    await replay(sample, { authorization: "Bearer sample-token" });

    expect(captured[0]?.requestContext.authorizer?.jwt?.scopes).toEqual([ACCESS_TOKEN_SCOPE]);
    expect(AWS_JWT?.scopes).toBeNull();
    const unscopedRoute = toEvent({
      request: { headersDistinct: {}, socket: {}, method: "GET", httpVersion: "1.1" } as never,
      url: new URL("http://localhost/orders"),
      routeKey: "GET /orders",
      pathParameters: undefined,
      body: Buffer.alloc(0),
      claims: JSON_CLAIMS,
      routeScopes: [],
    });
    expect(unscopedRoute.requestContext.authorizer?.jwt?.scopes).toBeNull();
  });

  test("the event's fields are AWS's: no field AWS does not send, requestContext.time in AWS's format", async () => {
    await replay(sample, { authorization: "Bearer sample-token" });
    const event = captured[0] as ApiEvent;
    const awsTop = new Set([...Object.keys(JWT_SAMPLE), ...Object.keys(SAM_SAMPLE)]);
    const awsContext = new Set([...Object.keys(JWT_SAMPLE.requestContext), ...Object.keys(SAM_SAMPLE.requestContext)]);

    for (const key of Object.keys(event)) expect(awsTop).toContain(key);
    for (const key of Object.keys(event.requestContext)) expect(awsContext).toContain(key);
    expect(Object.keys(event.requestContext.http).sort()).toEqual(Object.keys(sample.requestContext.http).sort());
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(sample.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  test("no token is API Gateway's 401 {message: Unauthorized}; a token without the route's scope its 403", async () => {
    const none = await replay(sample);
    const unscoped = await replay(sample, { authorization: "Bearer unscoped-token" });

    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toEqual({ message: "Unauthorized" });
    expect(unscoped.status).toBe(403);
    expect(JSON.parse(unscoped.body)).toEqual({ message: "Forbidden" });
    expect(captured).toHaveLength(0);
  });
});

describe("cookies, repeated query parameters and headers, a binary body: the SAM CLI's HTTP API event", () => {
  const sample = onRoute(SAM_SAMPLE, "POST", "/payments/webhook");

  test("the handler answers AWS's event, and the same request through the gateway, alike (the body decoded once)", async () => {
    const direct = await handler("POST /payments/webhook")(sample);
    const viaGateway = await replay(sample);

    expect(direct.statusCode).toBe(200);
    expect(viaGateway.status).toBe(direct.statusCode);
    expect(JSON.parse(viaGateway.body)).toEqual(JSON.parse(direct.body));
    expect(webhookBodies).toEqual(['{"test":"body"}', '{"test":"body"}']);
  });

  test("the gateway's event has AWS's cookies, joined query parameters and headers, and base64 body", async () => {
    await replay(sample);
    const event = captured[0] as ApiEvent & { cookies?: string[] };

    expect(event.cookies).toEqual(SAM_SAMPLE.cookies);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.rawQueryString).toBe(SAM_SAMPLE.rawQueryString);
    expect(event.queryStringParameters).toEqual(SAM_SAMPLE.queryStringParameters);
    expect(event.headers).toMatchObject(lowerKeys(SAM_SAMPLE.headers));
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(SAM_SAMPLE.body);
  });

  test("a JSON body stays text (isBase64Encoded false), as in AWS's recorded events", async () => {
    await send("POST", "/payments/webhook", { "content-type": "application/json" }, Buffer.from('{"a":1}'));

    expect(captured[0]).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
  });
});

describe("reading the function's answer as API Gateway does", () => {
  test("cookies become Set-Cookie headers, and a base64 body is decoded", async () => {
    const reply = await send("GET", "/echo/cookies");

    expect(reply.status).toBe(200);
    expect(reply.headers["set-cookie"]).toEqual(["a=1; Path=/; HttpOnly", "b=2"]);
    expect(reply.body).toBe("bytes \u00e9");
  });

  test("an answer without statusCode is a 200 JSON body; a function that throws is API Gateway's 500", async () => {
    const plain = await send("GET", "/echo/plain");
    const failed = await send("GET", "/echo/throws");

    expect(plain.status).toBe(200);
    expect(plain.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(plain.body)).toEqual({ hello: "world" });
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ message: "Internal Server Error" });
  });

  test("an unknown route, or a method with no route on a known path, is API Gateway's 404 {message: Not Found}", async () => {
    for (const [method, path] of [
      ["GET", "/nowhere"],
      ["POST", "/orders"],
    ] as const) {
      const reply = await send(method, path);
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.body)).toEqual({ message: "Not Found" });
    }
  });
});

test("claims render as AWS renders them: text as is, numbers and booleans as text, lists as [a b], null left out", () => {
  expect(claimValue("x")).toBe("x");
  expect(claimValue(1718722804)).toBe("1718722804");
  expect(claimValue(true)).toBe("true");
  expect(claimValue(["admin", "poweruser"])).toBe("[admin poweruser]");
  expect(claimValue({ a: 1 })).toBe('{"a":1}');
  expect(claimValue(null)).toBeUndefined();
});
