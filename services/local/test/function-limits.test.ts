import { DEFAULT_FUNCTION_LIMITS, functionLimitsFromEnv } from "../src/function-limits";

test("without PURCHASE_CONCURRENCY the gateway uses its defaults", () => {
  expect(functionLimitsFromEnv({})).toBe(DEFAULT_FUNCTION_LIMITS);
});

test("PURCHASE_CONCURRENCY sets the purchase function's slots and a queue of half that; other functions keep theirs", () => {
  const limits = functionLimitsFromEnv({ PURCHASE_CONCURRENCY: "9" });
  expect(limits.purchase).toEqual({
    maxInFlight: 9,
    maxQueue: 5,
    maxQueueWaitMs: DEFAULT_FUNCTION_LIMITS.purchase!.maxQueueWaitMs,
  });
  expect(limits["list-products"]).toEqual(DEFAULT_FUNCTION_LIMITS["list-products"]);
});

test.each(["0", "2.5", "lots", "10001"])("PURCHASE_CONCURRENCY=%s is refused by name", (value) => {
  expect(() => functionLimitsFromEnv({ PURCHASE_CONCURRENCY: value })).toThrow(
    `PURCHASE_CONCURRENCY=${value} is not a whole number from 1 to 10000`,
  );
});
