/**
 * Capacity arithmetic from DynamoDB's published limits and this design's measured cost per purchase.
 * Shared by the merchandiser CLI (`stock plan`) and the Pulumi program (table warm throughput).
 */

/** A partition accepts at most this many write units per second (AWS documentation). */
export const PARTITION_WRITE_UNITS_PER_SECOND = 1_000;

/**
 * Write units one successful purchase consumes: three items of under 1 KB in one TransactWriteItems,
 * at 2 units per item as AWS bills transactions (stock shard, order, per-customer count).
 * services/test/write-cost.test.ts checks the purchase stays one 3-item transaction; DynamoDB Local's
 * own ConsumedCapacity reports 4 for it, below what AWS bills, so planning uses AWS's arithmetic.
 */
export const WRITE_UNITS_PER_PURCHASE = 6;

/** Of those, the units that land on the product's stock shard (the hot key). */
export const SHARD_WRITE_UNITS_PER_PURCHASE = 2;

/** Plan for shards at half their limit: random shard choice is uneven and cancelled transactions are billed too. */
export const SHARD_TARGET_UTILISATION = 0.5;

/** DynamoDB's default per-table write quota (write units/s; AWS documentation, raised on request): warm throughput above it is refused. */
export const DEFAULT_TABLE_WRITE_QUOTA = 40_000;

/** A new on-demand table starts able to take this many write units per second. */
export const ON_DEMAND_INITIAL_WRITE_UNITS = 4_000;

export interface CapacityPlan {
  peakPurchasesPerSecond: number;
  /** Shards per hot product so no shard's partition exceeds its target utilisation. */
  shards: number;
  /** Purchases/s one shard can take at the target utilisation. */
  purchasesPerShardPerSecond: number;
  /** Table warm throughput (write units/s) to pre-warm before the sale, with 50% headroom. */
  tableWriteUnitsPerSecond: number;
  /** Table warm throughput (read units/s): catalog snapshots grow with containers, not requests, so this stays small. */
  tableReadUnitsPerSecond: number;
}

export function planCapacity(peakPurchasesPerSecond: number): CapacityPlan {
  if (!Number.isFinite(peakPurchasesPerSecond) || peakPurchasesPerSecond <= 0) {
    throw new Error(`peak purchases per second must be a positive number, got ${peakPurchasesPerSecond}`);
  }
  const purchasesPerShardPerSecond =
    (PARTITION_WRITE_UNITS_PER_SECOND * SHARD_TARGET_UTILISATION) / SHARD_WRITE_UNITS_PER_PURCHASE;
  const shards = Math.max(1, Math.ceil(peakPurchasesPerSecond / purchasesPerShardPerSecond));
  const tableWriteUnitsPerSecond = Math.max(
    ON_DEMAND_INITIAL_WRITE_UNITS,
    Math.ceil(peakPurchasesPerSecond * WRITE_UNITS_PER_PURCHASE * 1.5),
  );
  return {
    peakPurchasesPerSecond,
    shards,
    purchasesPerShardPerSecond,
    tableWriteUnitsPerSecond,
    tableReadUnitsPerSecond: 12_000,
  };
}
