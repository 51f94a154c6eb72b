import {
  ON_DEMAND_INITIAL_WRITE_UNITS,
  PARTITION_WRITE_UNITS_PER_SECOND,
  SHARD_WRITE_UNITS_PER_PURCHASE,
  WRITE_UNITS_PER_PURCHASE,
} from "@flash-sale/services/contract";

/**
 * Default per-table quota for on-demand tables in a Region (write request units/s; raised on request):
 * "Quotas in Amazon DynamoDB", developer guide.
 */
export const TABLE_WRITE_UNITS_QUOTA = 40_000;

export interface AwsScale {
  shards: number;
  /** N partitions × 1,000 WCU/s ÷ 2 WCU per transactional shard write. */
  partitionsAllow: number;
  /** The table's default quota ÷ 6 WCU per purchase (shard, order and limit items, 2 each). */
  tableQuotaAllows: number;
  /** A new on-demand table before it scales or is pre-warmed: 4,000 WCU/s ÷ 6. */
  newTableAllows: number;
  purchasesPerSecond: number;
  limitedBy: "partitions" | "table quota";
}

/** What N shards sell per second on AWS, by the published limits the model scales down. */
export function awsScale(shards: number): AwsScale {
  const partitionsAllow = (shards * PARTITION_WRITE_UNITS_PER_SECOND) / SHARD_WRITE_UNITS_PER_PURCHASE;
  const tableQuotaAllows = Math.floor(TABLE_WRITE_UNITS_QUOTA / WRITE_UNITS_PER_PURCHASE);
  return {
    shards,
    partitionsAllow,
    tableQuotaAllows,
    newTableAllows: Math.floor(ON_DEMAND_INITIAL_WRITE_UNITS / WRITE_UNITS_PER_PURCHASE),
    purchasesPerSecond: Math.min(partitionsAllow, tableQuotaAllows),
    limitedBy: partitionsAllow <= tableQuotaAllows ? "partitions" : "table quota",
  };
}
