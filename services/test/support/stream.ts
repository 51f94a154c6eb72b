import { pollStream, type StreamPollerOptions } from "@flash-sale/local/stream-poller";
import type { DynamoDBRecord } from "aws-lambda";
import { ensureStream } from "../../src/store/table";
import type { TestTable } from "./shop";
import { createTestTable, TEST_REGION } from "./table";

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

/**
 * For a test file: a test table made before its tests, with its stream recorded from the start, and dropped after
 * them. `made` hands the table to the file; the returned array fills with every record delivered so far.
 */
export function tableWithRecordedStream(made: (table: TestTable) => void): DynamoDBRecord[] {
  const delivered: DynamoDBRecord[] = [];
  let table: TestTable | undefined;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    table = await createTestTable();
    made(table);
    stop = await consumeStream(table, async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    });
  });
  afterAll(async () => {
    await stop?.();
    await table?.drop();
  });
  return delivered;
}

/** The order status a record's new image holds. */
export const statusOf = (record: DynamoDBRecord) => record.dynamodb?.NewImage?.status?.S;
