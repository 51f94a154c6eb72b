import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const WRITES = new Set([
  "TransactWriteItemsCommand",
  "UpdateItemCommand",
  "PutItemCommand",
  "DeleteItemCommand",
  "BatchWriteItemCommand",
]);

export interface PartitionMeterReport {
  /** Per shopper (the sub in SHOPPER#<sub>): DynamoDB calls whose keys touch their partition. */
  bySub: Record<string, { reads: number; writes: number }>;
  calls: number;
  writes: number;
}

/**
 * Counts, with an SDK middleware on the API's own DynamoDB client, every call and which shoppers'
 * partitions it touches. A purchase always writes under the buyer's partition (order and count), so a
 * shopper whose partition no call touched made the engine do nothing for them.
 */
export function meterPartitions(doc: DynamoDBDocumentClient): () => PartitionMeterReport {
  const report: PartitionMeterReport = { bySub: {}, calls: 0, writes: 0 };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const write = WRITES.has(String(context.commandName));
      report.calls++;
      if (write) report.writes++;
      for (const match of JSON.stringify(args.input ?? {}).matchAll(/SHOPPER#([^"\\]+)/g)) {
        const entry = (report.bySub[match[1]!] ??= { reads: 0, writes: 0 });
        if (write) entry.writes++;
        else entry.reads++;
      }
      return next(args);
    },
    { step: "initialize", name: "perfPartitionMeter" },
  );
  return () => report;
}
