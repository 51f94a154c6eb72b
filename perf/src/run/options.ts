import { randomBytes } from "node:crypto";
import type { OptionSpecs, ParsedOptions } from "@flash-sale/services/cli";

/** `npm run perf -- run`'s options: types, defaults, checks and help lines in one place. */
export const RUN_OPTIONS = {
  api: { type: "string", help: "a deployed API's base URL; without it the local stack is started in a child process" },
  "user-pool-id": {
    type: "string",
    help: "deployed: the Cognito user pool id (shoppers are created there with admin calls)",
  },
  "client-id": { type: "string", help: "deployed: the storefront's app client id (USER_PASSWORD_AUTH enabled)" },
  region: { type: "string", default: "us-east-1", help: "deployed: the AWS region" },
  table: { type: "string", help: "deployed: the DynamoDB table (the product is loaded and the audit reads it)" },
  shoppers: {
    type: "number",
    default: 200,
    whole: true,
    positive: true,
    help: "distinct shoppers (real users with their own tokens)",
  },
  units: {
    type: "number",
    default: 0,
    whole: true,
    min: 0,
    help: "units on sale; 0 = locally, the engine's measured rate for 70% of the burst, so the burst can sell out even at 0.7 of it (deployed: 200)",
  },
  limit: {
    type: "number",
    default: 0,
    whole: true,
    min: 0,
    help: "per-customer limit; 0 = enough that the shoppers can buy every unit twice over (at least 2)",
  },
  shards: {
    type: "number",
    default: 0,
    whole: true,
    min: 0,
    help: "stock shards; 0 = planCapacity(burst rate) from services/src/domain/capacity.ts",
  },
  "listing-rate": {
    type: "number",
    default: 0,
    min: 0,
    help: "pre-sale signed-in listing polls per second, shoppers in turn; 0 = every shopper's page loads it once during the pre-sale (shoppers ÷ listing-seconds)",
  },
  "feed-rate": {
    type: "number",
    default: 0,
    min: 0,
    help: "pre-sale polls of the public availability feed per second; 0 = one per held connection every 2 s, as the storefront's waiting tabs poll it",
  },
  "listing-seconds": { type: "number", default: 5, positive: true, help: "pre-sale phase length" },
  "burst-rate": {
    type: "number",
    default: 0,
    min: 0,
    help: "peak requests per second when the sale opens; 0 = locally, --overload × the engine's measured rate (deployed: 150)",
  },
  overload: {
    type: "number",
    default: 10,
    positive: true,
    help: "local, with --burst-rate 0: the burst offers this many times what DynamoDB Local alone commits per second",
  },
  "burst-seconds": { type: "number", default: 6, positive: true, help: "burst phase length" },
  profile: { type: "string", choices: ["constant", "ramp", "spike"], default: "constant", help: "burst shape" },
  "tail-rate": { type: "number", default: 60, positive: true, help: "requests per second after the sell-out" },
  "tail-seconds": { type: "number", default: 8, positive: true, help: "tail phase length" },
  "replay-share": {
    type: "number",
    default: 0.02,
    min: 0,
    max: 1,
    help: "share of purchases that re-send an earlier intent (same idempotency key)",
  },
  arrivals: {
    type: "string",
    choices: ["uniform", "poisson"],
    default: "uniform",
    help: "arrival process: uniform (evenly spaced) or poisson",
  },
  "max-in-flight": {
    type: "number",
    default: 4000,
    whole: true,
    positive: true,
    help: "requests in flight at once; more due are dropped and the run is INVALID",
  },
  connections: {
    type: "number",
    default: 1000,
    whole: true,
    min: 1,
    help: "keep-alive connections the generator holds, opened before the sale as waiting shoppers' browsers hold theirs; a request finding all busy waits (in its latency)",
  },
  "cold-connections": {
    type: "boolean",
    default: false,
    help: "do not open the connections before the sale: every connection is made in the opening burst",
  },
  "timeout-ms": { type: "number", default: 30000, positive: true, help: "per-request timeout" },
  "lag-limit-ms": {
    type: "number",
    default: 50,
    positive: true,
    help: "event-loop delay p99 above which the run is INVALID",
  },
  "engine-seconds": {
    type: "number",
    default: 4,
    min: 0,
    help: "local: seconds of raw DynamoDB Local transactions before and after the sale, as many in flight as the purchase function takes (0 = skip)",
  },
  "engine-rounds": {
    type: "number",
    default: 8,
    whole: true,
    min: 2,
    help: "local: most measures of the engine alone before the sale; it is measured until two in a row agree within 5%",
  },
  repeat: {
    type: "number",
    default: 1,
    whole: true,
    positive: true,
    help: "run the sale this many times (each on a fresh start of the stack), print each run's ratio and verdict, the median, and a verdict over all: median ≥ 0.9 and no run below 0.8",
  },
  fresh: {
    type: "boolean",
    default: false,
    help: "local: a throw-away stack instead of the one kept in perf/.cache/local-stack",
  },
  "engine-cpu": {
    type: "string",
    choices: ["auto", "none"],
    default: "auto",
    help: "local: auto = DynamoDB Local on a CPU of its own and the rest on the others (with 2+ CPUs and taskset); none = all share every CPU",
  },
  disk: {
    type: "boolean",
    default: false,
    help: "local: DynamoDB Local on disk (as npm start runs it) instead of in memory",
  },
  "purchase-concurrency": {
    type: "number",
    default: 0,
    whole: true,
    min: 0,
    help: "local: the purchase function's in-flight limit in the gateway (0 = the gateway's default); more is queued briefly, then shed with 503",
  },
  "run-id": { type: "string", help: "name of the run (default: time + random)" },
  quiet: { type: "boolean", default: false, help: "no live progress line" },
  checkout: {
    type: "boolean",
    default: false,
    help: "held checkout: the product takes payment (holds of 30 s); of the buyers given a hold 80% pay after 5-60 s, 10% abandon, 10% are declined and abandon; the tail lasts past the holds so returned units sell again, and the run waits until every hold has ended (local stack only)",
  },
} satisfies OptionSpecs;

export type RunOptions = ParsedOptions<typeof RUN_OPTIONS>;

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}-${randomBytes(2).toString("hex")}`;
}
