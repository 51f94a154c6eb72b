import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { PurchaseWrite, PurchaseWriteOutcome, ShopStore } from "../domain/ports";
import type { Order, Product } from "../domain/types";
import { toOrder, toProduct } from "./items";
import { CATALOG_PK, ORDER_SK_PREFIX, limitKey, orderKey, productKey, shardKey, shopperPk } from "./keys";

const BUSY_REASONS = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"]);
const THROTTLE_REASONS = new Set(["ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"]);
/** Errors that mean "not now" for the whole request rather than "no". */
const RETRYABLE_ERRORS = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TransactionInProgressException",
  "TransactionConflictException",
]);
const BATCH_GET_LIMIT = 100;

interface CancellationReason {
  Code?: string;
}

/** The domain's storage port on one DynamoDB table (key layout in keys.ts). */
export class DynamoShopStore implements ShopStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async readCatalog(): Promise<Product[]> {
    const products: Product[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": CATALOG_PK },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) products.push(toProduct(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return products;
  }

  async readShardUnits(products: ReadonlyArray<Pick<Product, "sku" | "shardCount">>): Promise<Map<string, number[]>> {
    const units = new Map(products.map((product) => [product.sku, new Array<number>(product.shardCount).fill(0)]));
    let pending = products.flatMap((product) => Array.from({ length: product.shardCount }, (_, shard) => shardKey(product.sku, shard)));
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** round)));
      const batch = pending.slice(0, BATCH_GET_LIMIT);
      pending = pending.slice(BATCH_GET_LIMIT);
      const result = await this.doc.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: batch, ConsistentRead: true, ProjectionExpression: "pk, #u", ExpressionAttributeNames: { "#u": "units" } } },
        }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const [, sku, shard] = /^STOCK#(.+)#(\d+)$/.exec(String(item.pk)) ?? [];
        const shards = sku !== undefined ? units.get(sku) : undefined;
        if (shards && shard !== undefined) shards[Number(shard)] = Number(item.units ?? 0);
      }
      pending.push(...((result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as typeof pending));
    }
    return units;
  }

  async writePurchase(write: PurchaseWrite): Promise<PurchaseWriteOutcome> {
    const { order, shopper, takes } = write;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          ClientRequestToken: write.requestToken,
          ReturnConsumedCapacity: "TOTAL",
          TransactItems: [
            ...takes.map((take) => ({
              Update: {
                TableName: this.tableName,
                Key: shardKey(order.sku, take.shard),
                UpdateExpression: "SET #u = #u - :q",
                ConditionExpression: "#u >= :q",
                ExpressionAttributeNames: { "#u": "units" },
                ExpressionAttributeValues: { ":q": take.units },
              },
            })),
            {
              Put: {
                TableName: this.tableName,
                Item: { ...orderKey(shopper, order.orderId), type: "ORDER", shopper, ...order },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: limitKey(shopper, order.sku),
                UpdateExpression: "ADD #u :q",
                ConditionExpression: "attribute_not_exists(#u) OR #u <= :max",
                ExpressionAttributeNames: { "#u": "units" },
                ExpressionAttributeValues: { ":q": order.quantity, ":max": write.perCustomerLimit - order.quantity },
              },
            },
          ],
        }),
      );
      return { kind: "confirmed" };
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TransactionCanceledException") {
        const reasons: string[] = ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []).map((r) => r.Code ?? "None");
        const shardReasons = reasons.slice(0, takes.length);
        const [orderReason, limitReason] = reasons.slice(takes.length);
        return {
          kind: "cancelled",
          orderExists: orderReason === "ConditionalCheckFailed",
          limitReached: limitReason === "ConditionalCheckFailed",
          shortShards: takes.filter((_, i) => shardReasons[i] === "ConditionalCheckFailed").map((take) => take.shard),
          busyShards: takes.filter((_, i) => BUSY_REASONS.has(shardReasons[i] ?? "")).map((take) => take.shard),
          throttled: reasons.some((reason) => THROTTLE_REASONS.has(reason)),
        };
      }
      if (RETRYABLE_ERRORS.has(name)) return { kind: "throttled" };
      throw error;
    }
  }

  async markSoldOut(sku: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: productKey(sku),
          UpdateExpression: "SET soldOut = :true",
          ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(soldOut) OR soldOut = :false)",
          ExpressionAttributeValues: { ":true": true, ":false": false },
        }),
      );
    } catch (error) {
      // Another container flagged it first: nothing to do.
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    }
  }

  async getOrder(shopper: string, orderId: string): Promise<Order | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: orderKey(shopper, orderId), ConsistentRead: true }));
    return Item ? toOrder(Item) : undefined;
  }

  async listOrders(shopper: string): Promise<Order[]> {
    const orders: Order[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": shopperPk(shopper), ":prefix": ORDER_SK_PREFIX },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) orders.push(toOrder(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // Order ids are the shoppers' idempotency keys (random), so newest-first is sorted here; a shopper has few orders.
    return orders.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.orderId.localeCompare(a.orderId));
  }
}
