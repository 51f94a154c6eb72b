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
  /** Payment products: purchases that hold units while the shopper pays (PurchasesConfirmed counts instant ones). */
  held: "PurchasesHeld",
  /** The provider could not make a payment page: the shopper got TRY_AGAIN with the units held. */
  providerFailures: "PaymentProviderFailures",
  /** Verified provider events that confirmed a held order (on time or taken again after its hold). */
  paymentsConfirmed: "PaymentsConfirmed",
  /** Cards refused on the payment page (the order stays held; the shopper may try again). */
  paymentsDeclined: "PaymentsDeclined",
  /** Payments that came after their hold was returned and found no units: refunded at once. */
  latePaymentsRefunded: "LatePaymentsRefunded",
  /** Webhooks whose signature did not verify: a wrong signing secret, or someone forging events. */
  webhooksRejected: "PaymentWebhooksRejected",
  /** Holds the sweep returned to stock. */
  holdsExpired: "HoldsExpired",
  /** Requests answered 503 TRY_AGAIN because the engine failed (5xx, resets, unreachable) or missed the deadline. */
  engineFaults: "EngineFaults",
} as const;

/**
 * The table stream consumer's metrics (apart from BUSINESS_METRICS, which every route's bundle carries: these
 * names belong in the consumer's bundle only).
 */
export const ORDER_METRICS = {
  /**
   * From the table stream's consumer (events/order-metrics.ts), one per order event: orders that entered
   * CONFIRMED (instant purchases and payments), EXPIRED (holds run out) and REFUNDED. At least once (a replayed
   * record counts again): a live view, not the ledger (`npm run stock -- reconcile` is).
   */
  confirmed: "OrdersConfirmed",
  expired: "OrdersExpired",
  refunded: "OrdersRefunded",
  /** Confirmed orders' totals in the currency's minor unit (cents), one series per `currency`. */
  revenue: "OrderRevenueMinorUnits",
  /** The revenue metric's second dimension (ISO 4217 code, as the order has it). */
  currencyDimension: "currency",
} as const;

/** The countable moments the function log takes (the payment side's, and an engine fault on any route). */
export type PaymentSignal =
  | "confirmed"
  | "declined"
  | "refunded-late"
  | "webhook-rejected"
  | "holds-expired"
  | "engine-fault";
