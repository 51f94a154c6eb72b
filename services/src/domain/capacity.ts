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

/** The waiting room's default admission (admission.ts) plans shards at half their write-unit limit. */
export const SHARD_TARGET_UTILISATION = 0.5;

/** DynamoDB's default per-table write quota (write units/s; AWS documentation, raised on request): warm throughput above it is refused. */
export const DEFAULT_TABLE_WRITE_QUOTA = 40_000;

/** A new on-demand table starts able to take this many write units per second. */
export const ON_DEMAND_INITIAL_WRITE_UNITS = 4_000;

/**
 * Purchases/s one stock shard sustains when many containers contend for it, as the sale simulator finds
 * it: `npm run perf -- simulate --shard-rate` printed 89.3 (2 shards; 89.2 with 1 and 89.5 with 4 in earlier runs of the same model), 2026-12-06.
 * Assumptions (perf/src/sim/rules.ts): a transaction holds its items 10 ms (AWS publishes no figure), so an
 * overlapping one is cancelled with TransactionConflict; 1,000 WCU/s per partition at 2 WCU per
 * transactional item; the table warmed to its quota; the domain's own retries. Far below the 250 that
 * write-unit arithmetic alone gives (conflicts and throttled attempts, not write units, bound a hot shard).
 * perf/test/simulate-plan.test.ts reruns the simulator and fails when this is no longer what it finds.
 */
export const SIMULATED_PURCHASES_PER_SHARD_PER_SECOND = 89;

/**
 * Write units the table consumes per confirmed purchase when shards are saturated, cancelled attempts
 * (conflicts, failed conditions) included: the same command printed 36.4. Throttled attempts are not billed.
 * Printed by `stock plan` as the warm throughput a saturated sale would draw.
 */
export const SIMULATED_WRITE_UNITS_PER_PURCHASE = 36;

export interface CapacityPlan {
  peakPurchasesPerSecond: number;
  /** Shards per hot product, each at the contended rate the simulator finds. */
  shards: number;
  /** Purchases/s one shard sustains under contention (SIMULATED_PURCHASES_PER_SHARD_PER_SECOND). */
  purchasesPerShardPerSecond: number;
  /** Table warm throughput (write units/s) to pre-warm before the sale, with 50% headroom (write-unit arithmetic; see SIMULATED_WRITE_UNITS_PER_PURCHASE). */
  tableWriteUnitsPerSecond: number;
  /** Table warm throughput (read units/s): catalog snapshots grow with containers, not requests, so this stays small. */
  tableReadUnitsPerSecond: number;
}

export function planCapacity(peakPurchasesPerSecond: number): CapacityPlan {
  if (!Number.isFinite(peakPurchasesPerSecond) || peakPurchasesPerSecond <= 0) {
    throw new Error(`peak purchases per second must be a positive number, got ${peakPurchasesPerSecond}`);
  }
  const purchasesPerShardPerSecond = SIMULATED_PURCHASES_PER_SHARD_PER_SECOND;
  const shards = Math.max(1, Math.ceil(peakPurchasesPerSecond / purchasesPerShardPerSecond));
  // Still write-unit arithmetic: planning the table for every shard saturated (shards x rate x
  // SIMULATED_WRITE_UNITS_PER_PURCHASE) would cap the default 40,000 WCU/s quota at ~1,068 purchases/s,
  // which changes the stack's accepted peaks; left as an open decision (see the simulator's README section).
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
