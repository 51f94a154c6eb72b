import type { ApiEvent } from "@flash-sale/services/http";
import { json, type HttpResult } from "@flash-sale/services/http";
import { edgeCached, sharedMaxAge } from "../src/edge-cache";

/** The local edge cache at its edges: a counting handler and a hand-moved clock. */
let now = 0;
const clock = () => now;
const event = (rawPath: string, rawQueryString = "") =>
  ({ rawPath, rawQueryString, headers: {} }) as unknown as ApiEvent;

function countingHandler(headers: Record<string, string>): {
  handler: (e: ApiEvent) => Promise<HttpResult>;
  calls: () => number;
} {
  let calls = 0;
  return {
    handler: async () => json(200, { call: ++calls }, headers),
    calls: () => calls,
  };
}

beforeEach(() => {
  now = 1_000_000;
});

test("a public response is served from the cache for its max-age, with an Age header, then fetched again", async () => {
  const origin = countingHandler({ "cache-control": "public, max-age=1" });
  const cached = edgeCached({ auth: false, method: "GET" }, origin.handler, clock);

  const first = await cached(event("/availability"));
  now += 999;
  const second = await cached(event("/availability"));
  now += 1;
  const third = await cached(event("/availability"));

  expect(origin.calls()).toBe(2);
  expect(JSON.parse(second.body)).toEqual(JSON.parse(first.body));
  expect(second.headers?.age).toBe("0");
  expect(JSON.parse(third.body)).toEqual({ call: 2 });
});

test("concurrent misses share one handler call", async () => {
  let release!: () => void;
  let calls = 0;
  const cached = edgeCached(
    { auth: false, method: "GET" },
    async () => {
      calls++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return json(200, { ok: true }, { "cache-control": "public, max-age=1" });
    },
    clock,
  );

  const replies = Array.from({ length: 50 }, () => cached(event("/availability")));
  release();

  expect((await Promise.all(replies)).map((reply) => reply.statusCode)).toEqual(new Array(50).fill(200));
  expect(calls).toBe(1);
});

test("the key is the path alone: a query string does not make a new entry (like the CloudFront policy)", async () => {
  const origin = countingHandler({ "cache-control": "public, max-age=1" });
  const cached = edgeCached({ auth: false, method: "GET" }, origin.handler, clock);

  await cached(event("/availability"));
  await cached(event("/availability", "bust=1"));
  await cached(event("/other"));

  expect(origin.calls()).toBe(2);
});

test.each([
  ["no-store", "no-store"],
  ["private", "private, max-age=5"],
  ["no max-age", "public"],
  ["max-age=0", "public, max-age=0"],
])("a response marked %s is never kept", async (_name, cacheControl) => {
  const origin = countingHandler({ "cache-control": cacheControl });
  const cached = edgeCached({ auth: false, method: "GET" }, origin.handler, clock);

  await cached(event("/availability"));
  await cached(event("/availability"));

  expect(origin.calls()).toBe(2);
});

test("authenticated routes get their handler untouched", async () => {
  const origin = countingHandler({ "cache-control": "public, max-age=60" });

  expect(edgeCached({ auth: true, method: "GET" }, origin.handler, clock)).toBe(origin.handler);
});

test("a failed handler call is not remembered: every waiter sees the failure, the next request tries again", async () => {
  let calls = 0;
  const cached = edgeCached(
    { auth: false, method: "GET" },
    async () => {
      calls++;
      if (calls === 1) throw new Error("engine down");
      return json(200, {}, { "cache-control": "public, max-age=1" });
    },
    clock,
  );

  await expect(Promise.all([cached(event("/availability")), cached(event("/availability"))])).rejects.toThrow(
    "engine down",
  );
  expect((await cached(event("/availability"))).statusCode).toBe(200);
  expect(calls).toBe(2);
});

test("s-maxage wins over max-age for a shared cache; header names are case-insensitive", () => {
  expect(
    sharedMaxAge({ statusCode: 200, body: "", headers: { "Cache-Control": "public, max-age=1, s-maxage=5" } }),
  ).toBe(5);
  expect(sharedMaxAge({ statusCode: 200, body: "" })).toBe(0);
});

test("concurrent POSTs to a public route each reach the handler, even with a cacheable answer (a provider's webhooks)", async () => {
  // prepare: an answer that a GET would share and keep
  const origin = countingHandler({ "cache-control": "public, max-age=60" });
  const cached = edgeCached({ auth: false, method: "POST" }, origin.handler, clock);

  // act
  await Promise.all([1, 2, 3, 4].map(() => cached(event("/payments/webhook"))));
  await cached(event("/payments/webhook"));

  // assess
  expect(origin.calls()).toBe(5);
});
