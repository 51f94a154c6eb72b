import type { Route } from "@flash-sale/services/routes";
import type { ConcurrencyLimit } from "./function-concurrency";

/**
 * The local gateway's concurrency per function, sized to DynamoDB Local on a small machine: it commits
 * most transactions per second with 8-64 in flight, and more in flight only lengthens its queue. For
 * purchases 16 keep it as busy as 32 did with half the wait: in `npm run perf` (2026-11-24) 32 gave p99
 * 204-224 ms and 0.89-0.92 of the engine alone, 16 gave p99 99-112 ms and 0.87-0.97 (perf/RESULTS.md). The
 * queue is short and a queued request waits at most 100 ms: under overload a freed slot is refilled at
 * once by a new arrival anyway, so a longer queue would only add latency to the purchases it admits.
 * Past the queue or the wait, a request is turned away with 503 TRY_AGAIN at once, as a throttled
 * Lambda function would be. The public feed has no limit here: in AWS CloudFront answers it, and
 * locally the edge cache does.
 */
export const DEFAULT_FUNCTION_LIMITS: Readonly<Partial<Record<Route["handler"], ConcurrencyLimit>>> = {
  purchase: { maxInFlight: 16, maxQueue: 8, maxQueueWaitMs: 100 },
  "list-products": { maxInFlight: 64, maxQueue: 32, maxQueueWaitMs: 100 },
  "get-product": { maxInFlight: 64, maxQueue: 32, maxQueueWaitMs: 100 },
  "list-orders": { maxInFlight: 32, maxQueue: 16, maxQueueWaitMs: 100 },
  "get-order": { maxInFlight: 32, maxQueue: 16, maxQueueWaitMs: 100 },
};

/** `PURCHASE_CONCURRENCY=64 npm start` changes the purchase function's in-flight limit (its queue is half that). */
export function functionLimitsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Partial<Record<Route["handler"], ConcurrencyLimit>> {
  const value = env.PURCHASE_CONCURRENCY;
  if (value === undefined || value === "") return DEFAULT_FUNCTION_LIMITS;
  const inFlight = Number(value);
  if (!Number.isInteger(inFlight) || inFlight < 1 || inFlight > 10_000)
    throw new Error(`PURCHASE_CONCURRENCY=${value} is not a whole number from 1 to 10000`);
  return {
    ...DEFAULT_FUNCTION_LIMITS,
    purchase: { ...DEFAULT_FUNCTION_LIMITS.purchase!, maxInFlight: inFlight, maxQueue: Math.ceil(inFlight / 2) },
  };
}
