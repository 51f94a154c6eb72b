import type { Order, OrderStatus, Product } from "./types";

/** Units to take from one stock shard. */
export interface ShardTake {
  shard: number;
  units: number;
}

/** Everything one purchase attempt writes, as ONE atomic transaction. */
export interface PurchaseWrite {
  shopper: string;
  order: Order;
  takes: ShardTake[];
  perCustomerLimit: number;
  /** Makes a transport-level retry of this exact attempt a no-op instead of a second purchase. */
  requestToken: string;
}

export type PurchaseWriteOutcome =
  | { kind: "confirmed" }
  | {
      kind: "cancelled";
      /** The order already exists: this idempotency key was used before. */
      orderExists: boolean;
      /** The shopper's per-customer count would pass the limit. */
      limitReached: boolean;
      /** Shards whose condition failed: they hold fewer units than we tried to take. */
      shortShards: number[];
      /** Shards that answered TransactionConflict or throttling: busy, not empty. */
      busyShards: number[];
      throttled: boolean;
    }
  /** The request as a whole was throttled or collided with an in-flight copy of itself. */
  | { kind: "throttled" };

/** A consistent sold-out check: sold out (and flagged), or the units it read in every live shard. */
export type SoldOutCheck = { soldOut: true } | { soldOut: false; units: number[] };

/** The storage port the domain needs. DynamoDB implements it in store/dynamo-store.ts. */
export interface ShopStore {
  /**
   * Up to `limit` catalog items in sku order (as DynamoDB orders keys), after `afterSku` (from the first when
   * absent); `more` when the catalog may go on past the last one returned.
   */
  readCatalogPage(afterSku: string | undefined, limit: number): Promise<{ products: Product[]; more: boolean }>;
  /** One product's catalog item (what a purchase needs), without reading the rest of the catalog. */
  readProduct(sku: string): Promise<Product | undefined>;
  /** Units in each shard of each product, indexed by shard number. */
  readShardUnits(products: ReadonlyArray<Pick<Product, "sku" | "shardCount">>): Promise<Map<string, number[]>>;
  writePurchase(write: PurchaseWrite): Promise<PurchaseWriteOutcome>;
  /** The most shards one purchase write can take from, within the engine's items per transaction. */
  maxTakes(write: Omit<PurchaseWrite, "takes" | "requestToken">): number;
  /**
   * Flags the catalog item sold out, only after a strongly consistent read has seen every shard at 0 and
   * only if no refill or reshard happened since, so other containers learn of the sell-out from their
   * next snapshot. False (and nothing written) when a shard still holds units.
   */
  markSoldOut(product: Pick<Product, "sku">): Promise<SoldOutCheck>;
  getOrder(shopper: string, orderId: string): Promise<Order | undefined>;
  listOrders(shopper: string): Promise<Order[]>;
}

/**
 * The store could not answer now: unreachable, timed out, throttled or failing. Not a "no": the caller
 * answers "try again" (HTTP 503 with Retry-After). Whether a write that timed out happened is unknown,
 * which is safe because every purchase is keyed by its idempotency key.
 */
export class StoreUnavailableError extends Error {
  override readonly name: string = "StoreUnavailableError";
}

/** An order as its lifecycle needs it: the order, its shopper, and the shards its units came from. */
export interface OrderRecord {
  shopper: string;
  order: Order;
  takes: ShardTake[];
  /** The captured payment of a paid order (what a refund names). */
  paymentId?: string;
}

/** How a hold ends without payment: its units and allowance go back. */
export type ReturnedStatus = "EXPIRED" | "CANCELLED";

/** A taken-again order's outcome: confirmed, or why not (a shard short, the limit, or the order moved on). */
export type RetakeOutcome = "confirmed" | "short" | "limit" | "changed";

/** A held order the expiry index says is due. */
export interface DueHold {
  shopper: string;
  orderId: string;
}

/**
 * The storage port of the order lifecycle (holds.ts). Every move is ONE conditional write on the order's
 * current status, with its stock and allowance effects; false (nothing written) when the status had moved on.
 */
export interface OrderLifecycleStore {
  readOrder(shopper: string, orderId: string): Promise<OrderRecord | undefined>;
  /** Stores the hosted payment page on a still-pending order. */
  setCheckoutUrl(shopper: string, orderId: string, checkoutUrl: string): Promise<void>;
  /** Notes a refused payment on a still-pending order (the shopper may try another card). */
  notePaymentError(shopper: string, orderId: string, message: string): Promise<void>;
  /** PENDING_PAYMENT -> CONFIRMED with its payment; the hold leaves the expiry index. */
  confirmPaid(record: OrderRecord, paymentId: string): Promise<boolean>;
  /**
   * PENDING_PAYMENT -> EXPIRED | CANCELLED: units back to their shards (`shardCount`: the product's current
   * count; a shard beyond it gives its units to a live one), allowance back, the product's sold-out flag
   * cleared and its returned units counted, the hold out of the expiry index.
   */
  returnHold(record: OrderRecord, to: ReturnedStatus, shardCount: number): Promise<boolean>;
  /**
   * A payment for an order whose hold was returned: EXPIRED | CANCELLED -> CONFIRMED, taking `takes` again
   * within the per-customer limit, in one write.
   */
  retake(
    record: OrderRecord,
    takes: ShardTake[],
    perCustomerLimit: number,
    paymentId: string,
    reason: string,
  ): Promise<RetakeOutcome>;
  /**
   * `from` -> REFUNDED with the shopper-facing reason. `returnUnits` (a confirmed order refunded while its
   * sale is open): units and allowance go back, as for an ended hold.
   */
  markRefunded(
    record: OrderRecord,
    from: OrderStatus[],
    reason: string,
    returnUnits?: { shardCount: number },
  ): Promise<boolean>;
  /**
   * Held orders whose hold ended by `now`, filed under the minutes from `from`'s to `now`'s (epoch ms), at most
   * `limit`; `complete` when every due entry of those minutes is in `due`.
   */
  dueHolds(from: number, now: number, limit: number): Promise<{ due: DueHold[]; complete: boolean }>;
  /** The first instant (epoch ms) the expiry index may still hold unswept entries for; undefined: never swept. */
  sweepCursor(): Promise<number | undefined>;
  setSweepCursor(through: number): Promise<void>;
}
