import { pollStream, type StreamPollerOptions } from "@flash-sale/local/stream-poller";
import type { DynamoDBRecord } from "aws-lambda";
import { ensureStream } from "../../src/store/table";
import type { TestTable } from "./shop";
import { TEST_REGION } from "./table";

/** A consumer (e.g. the order-events handler) fed a test table's stream from its start; returns its stop. */
export async function consumeStream(
  table: TestTable,
  handler: StreamPollerOptions["handler"],
): Promise<() => Promise<void>> {
  const poller = pollStream({
    endpoint: table.endpoint,
    region: TEST_REGION,
    streamArn: await ensureStream(table.raw, table.tableName),
    startAt: "TRIM_HORIZON",
    everyMs: 100,
    onError: (error) => process.stderr.write(`stream consumer: ${error.name} ${error.message}\n`),
    handler,
  });
  return poller.stop;
}

/** The records of a test table's stream, from its start, collected as DynamoDB Local delivers them (every 100 ms). */
export async function recordStream(table: TestTable): Promise<{ delivered: DynamoDBRecord[]; stop(): Promise<void> }> {
  const delivered: DynamoDBRecord[] = [];
  const stop = await consumeStream(table, async (event) => {
    delivered.push(...event.Records);
    return { batchItemFailures: [] };
  });
  return { delivered, stop };
}
