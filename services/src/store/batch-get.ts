import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../domain/ports";

/** BatchGetItem takes at most 100 keys a request. */
const BATCH_GET_LIMIT = 100;
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
 * Every item of `keys` that exists, 100 keys a request, retrying the keys DynamoDB leaves unprocessed
 * (throttled) with a growing pause; after 8 rounds a StoreUnavailableError, which callers answer as a fault
 * of the engine (503 TRY_AGAIN on a request).
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
    const batch = pending.slice(0, BATCH_GET_LIMIT);
    pending = pending.slice(BATCH_GET_LIMIT);
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
    pending.push(...((result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[]));
  }
  return items;
}
