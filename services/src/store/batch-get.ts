import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inParallel } from "../domain/in-parallel";
import { StoreUnavailableError } from "../domain/ports";

/** BatchGetItem takes at most 100 keys a request. */
const BATCH_GET_LIMIT = 100;
/** Requests of one read in flight at once: 16,000 keys are 160 requests, 10 waves, not 160 in a row. */
const BATCH_GET_PARALLEL = 16;
/** Rounds of UnprocessedKeys retries before a read gives up as "engine busy" (about 2.5 s of backoff). */
const BATCH_GET_ROUNDS = 8;

export interface BatchGetOptions {
  /** Named in the error when DynamoDB keeps leaving keys unprocessed ("stock shards", "tally items"). */
  what: string;
  consistent?: boolean;
  projection?: string;
  names?: Record<string, string>;
}

/**
 * Every item of `keys` that exists: 100 keys a request, up to 16 requests at once, so the time grows with
 * keys / 1,600 rather than keys / 100. Only keys DynamoDB leaves unprocessed (throttled) wait, with a growing
 * pause, and only they count as a round; after 8 such rounds a StoreUnavailableError, which callers answer as a
 * fault of the engine (503 TRY_AGAIN on a request). A read with nothing throttled never pauses.
 */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: Record<string, unknown>[],
  options: BatchGetOptions,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending = keys;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= BATCH_GET_ROUNDS)
      throw new StoreUnavailableError(
        `DynamoDB left ${pending.length} ${options.what} unread after ${round} rounds (throttled)`,
      );
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** round)));
    const unprocessed: Record<string, unknown>[] = [];
    await inParallel(chunks(pending, BATCH_GET_LIMIT), BATCH_GET_PARALLEL, async (batch) => {
      const result = await doc.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: batch,
              ...(options.consistent ? { ConsistentRead: true } : {}),
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
            },
          },
        }),
      );
      items.push(...(result.Responses?.[tableName] ?? []));
      unprocessed.push(...((result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[]));
    });
    pending = unprocessed;
  }
  return items;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
