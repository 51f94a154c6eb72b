import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AdmissionStore, JoinCounts, JoinRecord } from "../domain/waiting-room";
import { batchGetAll } from "./batch-get";
import { reportingEngineFaults } from "./engine-faults";
import { joinCounterKey, joinKey } from "./keys";

/**
 * The waiting room's port on the one table. A join writes the shopper's own item (partition
 * SHOPPER#<sub>) and adds 1 to one of 16 counter items chosen at random (partitions JOINS#…#k): no
 * item takes every join. Counts are read with one BatchGetItem per container and sale at most once a second.
 */
export class DynamoAdmissionStore implements AdmissionStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.doc = reportingEngineFaults(doc);
  }

  async readJoin(shopper: string, sku: string, sale: string): Promise<JoinRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: joinKey(shopper, sku, sale), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      joinedAt: Number(Item.joinedAt),
      early: Item.early === true,
      ...(typeof Item.sequence === "number" ? { sequence: Item.sequence } : {}),
      ...(typeof Item.notBefore === "number" ? { notBefore: Item.notBefore } : {}),
      ...(typeof Item.placing === "number" ? { placing: Item.placing } : {}),
    };
  }

  async claimJoin(shopper: string, sku: string, sale: string, record: JoinRecord): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...joinKey(shopper, sku, sale), type: "JOIN", sku, sale, ...record },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
  }

  async countJoin(sku: string, sale: string, shard: number, kind: keyof JoinCounts): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: joinCounterKey(sku, sale, shard),
        UpdateExpression: "ADD #kind :one SET #type = :joins",
        ExpressionAttributeNames: { "#kind": kind, "#type": "type" },
        ExpressionAttributeValues: { ":one": 1, ":joins": "JOINS" },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return Number(Attributes?.[kind] ?? 1);
  }

  async takeOverPlacing(shopper: string, sku: string, sale: string, since: number, now: number): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: joinKey(shopper, sku, sale),
          UpdateExpression: "SET placing = :now",
          // A join recorded before leases existed has none: its joinedAt stands for it, once.
          ConditionExpression:
            "attribute_exists(pk) AND attribute_not_exists(#seq) AND (placing = :since OR (attribute_not_exists(placing) AND joinedAt = :since))",
          ExpressionAttributeNames: { "#seq": "sequence" },
          ExpressionAttributeValues: { ":since": since, ":now": now },
        }),
      ),
    );
  }

  async placeLateJoin(
    shopper: string,
    sku: string,
    sale: string,
    sequence: number,
    notBefore: number,
  ): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: joinKey(shopper, sku, sale),
          UpdateExpression: "SET #seq = :seq, notBefore = :notBefore",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#seq)",
          ExpressionAttributeNames: { "#seq": "sequence" },
          ExpressionAttributeValues: { ":seq": sequence, ":notBefore": notBefore },
        }),
      ),
    );
  }

  async readJoinCounts(sku: string, sale: string, shards: number): Promise<JoinCounts> {
    return readJoinCounts(this.doc, this.tableName, sku, sale, shards);
  }
}

/** Early and later joins of one sale, summed over its counter items (eventually consistent: counts, not stock). */
export async function readJoinCounts(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  sale: string,
  shards: number,
): Promise<JoinCounts> {
  const counts: JoinCounts = { early: 0, late: 0 };
  const keys = Array.from({ length: shards }, (_, shard) => joinCounterKey(sku, sale, shard));
  for (const item of await batchGetAll(doc, tableName, keys, { what: "join counters", projection: "early, late" })) {
    counts.early += Number(item.early ?? 0);
    counts.late += Number(item.late ?? 0);
  }
  return counts;
}

/** True when the write happened; false when its condition said no. */
async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}
