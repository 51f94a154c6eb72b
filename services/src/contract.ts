/**
 * What the storefront, perf and infra may know of services: the HTTP contract's shapes, the storefront's
 * asks of the waiting room (line-asks.ts), the password policy, capacity arithmetic, metric names, cache policy and the table's TTL attribute. Pure modules only (no SDK, no Node APIs),
 * so the browser bundle can import it.
 */
export * from "./domain/admission-view";
export * from "./domain/line-asks";
export * from "./domain/capacity";
export * from "./domain/password-policy";
export * from "./domain/types";
export * from "./http/metric-names";
export * from "./site/cache-policy";
export { PURGE_AT_ATTRIBUTE } from "./store/purge";
