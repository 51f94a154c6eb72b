import { FunctionConcurrency } from "../src/function-concurrency";

const limit = { maxInFlight: 2, maxQueue: 1, maxQueueWaitMs: 100 };

test("admits up to maxInFlight at once", async () => {
  const fn = new FunctionConcurrency(limit);

  const slots = await Promise.all([fn.acquire(), fn.acquire()]);

  expect(slots.every((slot) => typeof slot === "function")).toBe(true);
  expect(fn.shed).toBe(0);
});

test("beyond the slots and the queue, a request is shed at once", async () => {
  const fn = new FunctionConcurrency(limit);
  await fn.acquire();
  await fn.acquire();
  const queued = fn.acquire();

  const started = Date.now();
  const turnedAway = await fn.acquire();

  expect(turnedAway).toBeUndefined();
  expect(Date.now() - started).toBeLessThan(20);
  expect(fn.shed).toBe(1);
  void queued;
});

test("a queued request gets the slot a finishing request releases", async () => {
  const fn = new FunctionConcurrency(limit);
  const first = (await fn.acquire())!;
  await fn.acquire();
  const queued = fn.acquire();

  first();

  expect(typeof (await queued)).toBe("function");
  expect(fn.shed).toBe(0);
});

test("a queued request still waiting after maxQueueWaitMs is shed rather than served late", async () => {
  const fn = new FunctionConcurrency(limit);
  await fn.acquire();
  await fn.acquire();
  const started = Date.now();

  const waited = await fn.acquire();

  expect(waited).toBeUndefined();
  expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  expect(fn.shed).toBe(1);
});

test("releasing twice frees one slot only", async () => {
  const fn = new FunctionConcurrency({ maxInFlight: 1, maxQueue: 0, maxQueueWaitMs: 100 });
  const release = (await fn.acquire())!;
  release();
  release();

  const [a, b] = await Promise.all([fn.acquire(), fn.acquire()]);

  expect([typeof a, typeof b]).toEqual(["function", "undefined"]);
});
