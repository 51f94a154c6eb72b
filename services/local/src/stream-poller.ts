import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
  type ShardIteratorType,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";

export interface StreamPollerOptions {
  endpoint: string;
  region: string;
  streamArn: string;
  /** The same handler function the Lambda runs. */
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  /** Pause between empty polls (ms): 250 puts a mail on the terminal well within 2 s of its write. */
  everyMs?: number;
  /** Shards open at start: "LATEST" (only what happens from now: a restart does not replay a day of mails) or "TRIM_HORIZON". */
  startAt?: "LATEST" | "TRIM_HORIZON";
  onError?: (error: Error) => void;
}

export interface StreamPoller {
  stop(): Promise<void>;
}

/**
 * What Lambda's event source mapping does for DynamoDB Local's stream: follows its shards (a child only
 * once its parent is read to the end, as Lambda keeps a key's changes in order), hands each batch to the
 * handler, and on a partial batch failure reads again from the failed record after a pause.
 */
export function pollStream(options: StreamPollerOptions): StreamPoller {
  const client = new DynamoDBStreamsClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const everyMs = options.everyMs ?? 250;
  const iterators = new Map<string, string | undefined>();
  const finished = new Set<string>();
  /** Per shard, the sequence number of the last record the handler took: where a stale iterator resumes. */
  const handled = new Map<string, string>();
  let first = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const iteratorFor = async (shardId: string, type: ShardIteratorType, sequenceNumber?: string) =>
    (
      await client.send(
        new GetShardIteratorCommand({
          StreamArn: options.streamArn,
          ShardId: shardId,
          ShardIteratorType: type,
          ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
        }),
      )
    ).ShardIterator;

  const discover = async () => {
    const shards = await listShards(client, options.streamArn);
    for (const shard of shards) {
      const id = shard.ShardId as string;
      if (iterators.has(id) || finished.has(id)) continue;
      const parent = shard.ParentShardId;
      if (first && shard.SequenceNumberRange?.EndingSequenceNumber && (options.startAt ?? "LATEST") === "LATEST") {
        finished.add(id); // closed before we started: history, not news
        continue;
      }
      if (!first && parent && iterators.has(parent)) continue; // the parent first
      const type = first ? (options.startAt ?? "LATEST") : "TRIM_HORIZON";
      iterators.set(id, await iteratorFor(id, type));
    }
    first = false;
  };

  const readShard = async (shardId: string): Promise<boolean> => {
    const iterator = iterators.get(shardId);
    if (!iterator) {
      iterators.delete(shardId);
      finished.add(shardId);
      return false;
    }
    let page: GetRecordsCommandOutput;
    try {
      page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
    } catch (error) {
      // An iterator that went stale (DynamoDB Local answers a fresh stream's TRIM_HORIZON iterator this way under
      // load; in AWS one expires after 15 minutes) is taken again after the last record handled, or from the
      // shard's start when none was: never re-used, or the shard would be stuck on it.
      const name = (error as Error).name;
      if (name !== "TrimmedDataAccessException" && name !== "ExpiredIteratorException") throw error;
      const last = handled.get(shardId);
      iterators.set(
        shardId,
        await (last ? iteratorFor(shardId, "AFTER_SEQUENCE_NUMBER", last) : iteratorFor(shardId, "TRIM_HORIZON")),
      );
      return false;
    }
    const records = (page.Records ?? []).map((record) => lambdaRecord(record, options.streamArn));
    if (records.length > 0) {
      const { batchItemFailures } = await options.handler({ Records: records });
      const failed = batchItemFailures[0]?.itemIdentifier;
      if (failed) {
        const before = records[records.findIndex((record) => record.dynamodb?.SequenceNumber === failed) - 1];
        if (before?.dynamodb?.SequenceNumber) handled.set(shardId, before.dynamodb.SequenceNumber);
        iterators.set(shardId, await iteratorFor(shardId, "AT_SEQUENCE_NUMBER", failed));
        return false;
      }
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) handled.set(shardId, last);
    }
    iterators.set(shardId, page.NextShardIterator);
    return records.length > 0;
  };

  const tick = async () => {
    let busy = false;
    try {
      await discover();
      for (const shardId of [...iterators.keys()]) busy = (await readShard(shardId)) || busy;
    } catch (error) {
      options.onError?.(error as Error);
    }
    if (!stopped) {
      timer = setTimeout(
        () => {
          running = tick();
        },
        busy ? 0 : everyMs,
      );
      timer.unref();
    }
  };
  running = tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      client.destroy();
    },
  };
}

async function listShards(client: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let after: string | undefined;
  do {
    const { StreamDescription } = await client.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ...(after ? { ExclusiveStartShardId: after } : {}) }),
    );
    shards.push(...(StreamDescription?.Shards ?? []));
    after = StreamDescription?.LastEvaluatedShardId;
  } while (after);
  return shards;
}

/** A record as Lambda hands it over: the same attribute-value images, the time in epoch seconds. */
function lambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  return {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName } : {}),
    eventSource: "aws:dynamodb",
    eventSourceARN: streamArn,
    dynamodb: {
      ...(data.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(data.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      ...(data.Keys ? { Keys: data.Keys as never } : {}),
      ...(data.NewImage ? { NewImage: data.NewImage as never } : {}),
      ...(data.OldImage ? { OldImage: data.OldImage as never } : {}),
      ...(data.SequenceNumber ? { SequenceNumber: data.SequenceNumber } : {}),
      ...(data.SizeBytes ? { SizeBytes: data.SizeBytes } : {}),
      ...(data.StreamViewType ? { StreamViewType: data.StreamViewType } : {}),
    },
  };
}
