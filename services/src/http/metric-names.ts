/**
 * The business metrics' names and dimensions: the contract between the handlers that emit them
 * (metrics.ts) and the dashboard and alarms that read them (infra/src/monitoring), kept free of imports so the
 * Pulumi program can read it without loading Powertools.
 */
export const BUSINESS_METRICS = {
  /** Default: `flash-sale-local`; in AWS the function's POWERTOOLS_METRICS_NAMESPACE (`flash-sale-<stack>`). */
  defaultNamespace: "flash-sale-local",
  service: "flash-sale",
  /** Every metric carries the `service` dimension; refusals also carry `code`. */
  serviceDimension: "service",
  codeDimension: "code",
  confirmed: "PurchasesConfirmed",
  replayed: "PurchasesReplayed",
  /** Refusals by code (SOLD_OUT, LIMIT_EXCEEDED, ...): one series per code. */
  refused: "PurchasesRefused",
  /** 503 TRY_AGAIN: every attempt on the product's shards was contended or throttled. */
  tryAgain: "PurchasesTryAgain",
  /** Extra shard attempts confirmed purchases needed (attempts - 1): rising hops mean hot shards. */
  shardHops: "ShardHops",
} as const;
