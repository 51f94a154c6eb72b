import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ORIGIN_SECRET_ENV, ORIGIN_SECRET_HEADER } from "@flash-sale/services/routes";
import { confirmedPurchase, createHttpClient, errorLabel, outcomeLabel } from "../src/load/http-client";

let server: Server;
let baseUrl: string;
let connectionsSeen = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/api/never") return; // answers nothing
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      response.writeHead(request.url === "/api/busy" ? 503 : 200, { "content-type": "application/json" });
      response.end(
        request.url === "/api/busy"
          ? JSON.stringify({ error: { code: "TRY_AGAIN" } })
          : JSON.stringify({
              method: request.method,
              path: request.url,
              body,
              type: request.headers["content-type"] ?? null,
              ...(request.headers[ORIGIN_SECRET_HEADER] ? { origin: request.headers[ORIGIN_SECRET_HEADER] } : {}),
            }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", () => connectionsSeen++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => (connectionsSeen = 0));

test("connections opened before a burst are the ones the burst uses: no new connection is made", async () => {
  // prepare
  const client = createHttpClient(baseUrl, { connections: 40, timeoutMs: 5_000 });
  const opened = await client.openConnections(40, "/warm");

  // act: as many requests at once as there are connections
  const replies = await Promise.all(Array.from({ length: 40 }, () => client.request("GET", "/x", {})));
  await client.close();

  // assess
  expect(opened.connections).toBe(40);
  expect(connectionsSeen).toBe(40);
  expect(replies.every((reply) => reply.status === 200)).toBe(true);
});

test("a POST body goes out as JSON under the base URL's path, and the answer comes back whole", async () => {
  const client = createHttpClient(baseUrl, { connections: 2, timeoutMs: 5_000 });
  const reply = await client.request("POST", "/purchases", { authorization: "Bearer t" }, '{"sku":"a"}');
  await client.close();
  expect(reply.status).toBe(200);
  expect(JSON.parse(reply.body)).toEqual({
    method: "POST",
    path: "/api/purchases",
    body: '{"sku":"a"}',
    type: "application/json",
  });
});

test("an error answer is labelled with the contract's code", async () => {
  const client = createHttpClient(baseUrl, { connections: 1, timeoutMs: 5_000 });
  const reply = await client.request("POST", "/busy", {}, "{}");
  await client.close();
  expect(outcomeLabel("purchase", reply)).toBe("purchase 503 TRY_AGAIN");
});

test("a server that never answers fails the request after the timeout, labelled by its code", async () => {
  const client = createHttpClient(baseUrl, { connections: 1, timeoutMs: 300 });
  const started = Date.now();
  const failure = await client.request("GET", "/never", {}).then(
    () => undefined,
    (error: unknown) => error,
  );
  await client.close();
  expect(Date.now() - started).toBeLessThan(3_000);
  expect(errorLabel("listing", failure)).toBe("listing ERR UND_ERR_HEADERS_TIMEOUT");
});

test("a 201 confirms a purchase whether it was a first try or a re-sent intent; a replay's 200 confirms nothing new", () => {
  const labels = ["purchase 201", "replay 201", "replay 200", "listing 200", "purchase 409 SOLD_OUT", "purchase 2010"];

  const confirming = labels.filter(confirmedPurchase);

  expect(confirming).toEqual(["purchase 201", "replay 201"]);
});

test("with ORIGIN_SECRET set (a run straight at execute-api), every request carries CloudFront's origin header", async () => {
  process.env[ORIGIN_SECRET_ENV] = "s3cr3t";
  try {
    const client = createHttpClient(baseUrl, { connections: 2, timeoutMs: 5_000 });
    const get = await client.request("GET", "/availability", {});
    const post = await client.request("POST", "/purchases", {}, "{}");
    await client.close();
    expect(JSON.parse(get.body).origin).toBe("s3cr3t");
    expect(JSON.parse(post.body).origin).toBe("s3cr3t");
  } finally {
    delete process.env[ORIGIN_SECRET_ENV];
  }
});
