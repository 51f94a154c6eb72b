import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import type { Server } from "node:http";
import type { LocalStack } from "../../src/stack";
import { robustServer } from "../../src/http-server";
import { aShopper, call, startStack, type Caller } from "./support";

let stack: LocalStack;
let shopper: Caller;
beforeAll(async () => {
  stack = await startStack();
  shopper = await aShopper(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const raw = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
};

test("a malformed %-escape on the storefront server is 400 and the server keeps serving", async () => {
  const malformed = await raw(`${stack.webUrl}/%E0%A4%A`);
  const config = await raw(`${stack.webUrl}/config.json`);

  expect(malformed.status).toBe(400);
  expect(config.status).toBe(200);
});

test("a malformed %-escape in an API path is 400 INVALID_REQUEST", async () => {
  const reply = await shopper.get("/orders/%E0%A4%A");

  expect(reply.status).toBe(400);
  expect(reply.body.error.code).toBe("INVALID_REQUEST");
});

test("an order id of 1,100 characters is 400, not a 500 from DynamoDB", async () => {
  const reply = await shopper.get(`/orders/${"a".repeat(1_100)}`);

  expect(reply.status).toBe(400);
  expect(reply.body.error.code).toBe("INVALID_REQUEST");
});

test("a purchase with a non-JSON content type is 400 naming the content type", async () => {
  const reply = await call(
    stack,
    "POST",
    "/purchases",
    shopper.token,
    JSON.stringify({ sku: "x", quantity: 1, idempotencyKey: "0f8fad5b-d9cb-469f-a165-70867728950e" }),
    { "content-type": "text/plain" },
  );

  expect(reply.status).toBe(400);
  expect(reply.body.error.message).toContain("content-type");
});

test("the API and storefront answer on loopback but not on the machine's other addresses", async () => {
  const otherAddress = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === "IPv4" && !address.internal)?.address;
  const reachable = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
  const apiPort = Number(new URL(stack.apiUrl).port);
  const webPort = Number(new URL(stack.webUrl).port);

  expect(await reachable("127.0.0.1", apiPort)).toBe(true);
  if (otherAddress === undefined) return; // no other interface on this machine: nothing else to reach from
  expect([await reachable(otherAddress, apiPort), await reachable(otherAddress, webPort)]).toEqual([false, false]);
});

describe("a local server", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = robustServer(
      "test server",
      (request, response) => {
        if (request.url === "/throw") throw new Error("a bug in a handler");
        if (request.url === "/reject") return Promise.reject(new Error("an async bug"));
        response.end("ok");
      },
      { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test("answers 500 to a handler that throws, and keeps serving", async () => {
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const thrown = await raw(`http://127.0.0.1:${port}/throw`);
    const rejected = await raw(`http://127.0.0.1:${port}/reject`);
    stderr.mockRestore();
    const fine = await raw(`http://127.0.0.1:${port}/`);

    expect([thrown.status, rejected.status, fine.status]).toEqual([500, 500, 200]);
  });

  test("closes a connection whose headers never finish", async () => {
    const socket = connect(port, "127.0.0.1");
    const started = Date.now();
    socket.write("GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: ");

    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString();
      });
      socket.once("close", () => resolve(text));
    });

    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
