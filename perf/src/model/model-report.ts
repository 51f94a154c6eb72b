import {
  PARTITION_WRITE_UNITS_PER_SECOND,
  SHARD_WRITE_UNITS_PER_PURCHASE,
  WRITE_UNITS_PER_PURCHASE,
} from "@flash-sale/services/contract";
import { awsScale, TABLE_WRITE_UNITS_QUOTA } from "./aws";
import { formatRow, TABLE_HEADER, type ModelResult } from "./run-model";

const n = (value: number) => value.toLocaleString("en-US");

/** The model's console report: the measured rows with the AWS arithmetic beside them, then what they show. */
export function formatModelReport(result: ModelResult): string {
  const { options, rows } = result;
  const one = rows.find((r) => r.shards === 1);
  const lines = [
    "",
    `hot-partition scale model: ${options.rate} purchases/s offered for ${options.seconds} s per row, ${options.budget} WCU/s per partition (buckets start empty); DynamoDB Local alone, warm: ${result.engineBefore.perSecond} tx/s before the rows, ${result.engine.perSecond} after; load average ${result.loadAverage.start.toFixed(2)} → ${result.loadAverage.end.toFixed(2)}`,
    TABLE_HEADER,
    ...rows.map((row) => formatRow(row, one)),
    ...result.skipped.map((s) => `${String(s.shards).padStart(6)}  skipped: ${s.reason}`),
    "",
  ];
  if (one) {
    lines.push(
      `1 shard: ${one.successPerSecond} of ${one.offeredPerSecond} purchases/s succeed, ${(one.throttleRate * 100).toFixed(0)}% of writes throttled, ${one.tryAgain} shoppers told TRY_AGAIN: the hot-partition collapse.`,
    );
    const more = rows.filter((r) => r.shards > 1);
    if (more.length)
      lines.push(
        `scaling: ${more.map((r) => `${r.shards} shards ${(r.successPerSecond / Math.max(one.successPerSecond, 0.1)).toFixed(1)}x`).join(", ")} the 1-shard rate (linear would be the shard count).`,
      );
  }
  for (const row of rows.filter((r) => r.limitedBy === "engine")) {
    lines.push(
      `${row.shards} shards: ${row.successPerSecond}/s is below min(offered ${row.offeredPerSecond}, partition capacity ${row.partitionCapacityPerSecond}) (${(row.throttleRate * 100).toFixed(1)}% of writes throttled): DynamoDB Local and the processes around it on this machine's shared cores (the engine alone ≈${result.engine.perSecond} tx/s afterwards) were the limit here, not the partitions.`,
    );
  }
  for (const row of rows.filter((r) => r.limitedBy === "offered load")) {
    lines.push(
      `${row.shards} shards: the offered ${row.offeredPerSecond}/s is below its partition capacity ${row.partitionCapacityPerSecond}/s, so this row shows the offered load (raise --rate).`,
    );
  }
  for (const row of rows.filter((r) => !r.selfCheck.valid)) {
    lines.push(
      `warning: the ${row.shards}-shard row was generator-bound, its numbers understate the system: ${row.selfCheck.reasons.join("; ")}`,
    );
  }
  const perShard = PARTITION_WRITE_UNITS_PER_SECOND / SHARD_WRITE_UNITS_PER_PURCHASE;
  const quota = awsScale(1).tableQuotaAllows;
  const quotaFrom = Math.ceil(quota / perShard);
  lines.push(
    "",
    `AWS arithmetic (the model's budget is DynamoDB's ${n(PARTITION_WRITE_UNITS_PER_SECOND)} WCU/s per partition scaled down ${n(Math.round(PARTITION_WRITE_UNITS_PER_SECOND / options.budget))}x): a purchase writes its shard item inside a transaction at ${SHARD_WRITE_UNITS_PER_PURCHASE} WCU, so one shard's partition sells at most ${n(perShard)} purchases/s and N shards N × ${n(perShard)}, until the table's default on-demand quota binds: ${n(TABLE_WRITE_UNITS_QUOTA)} WCU/s ÷ ${WRITE_UNITS_PER_PURCHASE} WCU per purchase (shard, order, limit) = ${n(quota)} purchases/s, from ${quotaFrom} shards on (* in the table; the quota can be raised). A new on-demand table starts at ${n(awsScale(1).newTableAllows)} purchases/s until it scales or is pre-warmed (warm throughput).`,
  );
  return lines.join("\n");
}
