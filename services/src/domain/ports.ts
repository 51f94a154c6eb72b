import type { Order, Product } from "./types";

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

/** The storage port the domain needs. DynamoDB implements it in store/dynamo-store.ts. */
export interface ShopStore {
  readCatalog(): Promise<Product[]>;
  /** Units in each shard of each product, indexed by shard number. */
  readShardUnits(products: ReadonlyArray<Pick<Product, "sku" | "shardCount">>): Promise<Map<string, number[]>>;
  writePurchase(write: PurchaseWrite): Promise<PurchaseWriteOutcome>;
  /**
   * Flags the catalog item sold out, only after a strongly consistent read has seen every shard at 0 and
   * only if no refill or reshard happened since, so other containers learn of the sell-out from their
   * next snapshot. False (and nothing written) when a shard still holds units.
   */
  markSoldOut(product: Pick<Product, "sku" | "shardCount">): Promise<boolean>;
  getOrder(shopper: string, orderId: string): Promise<Order | undefined>;
  listOrders(shopper: string): Promise<Order[]>;
}

/**
 * The store could not answer now: unreachable, timed out, throttled or failing. Not a "no": the caller
 * answers "try again" (HTTP 503 with Retry-After). Whether a write that timed out happened is unknown,
 * which is safe because every purchase is keyed by its idempotency key.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
}
