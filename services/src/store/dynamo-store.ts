import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { PurchaseWrite, PurchaseWriteOutcome, ShopStore, SoldOutCheck } from "../domain/ports";
import type { Order, Product } from "../domain/types";
import { batchGetAll } from "./batch-get";
import { transactionItemLimit } from "./client";
import { errorName, reportingEngineFaults, THROTTLING_ERRORS } from "./engine-faults";
import { toOrder, toProduct } from "./items";
import { CATALOG_PK, holdKey, ORDER_SK_PREFIX, limitKey, orderKey, productKey, shardKey, shopperPk } from "./keys";

const BUSY_REASONS = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
]);
const THROTTLE_REASONS = new Set(["ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"]);

/**
 * The one transaction of a purchase attempt: each take's shard decrement (conditioned on enough units),
 * the order (conditioned on not existing yet) and the shopper's count for the sku (conditioned on the
 * limit). Exported so that the engine benchmarks send exactly what a purchase sends.
 */
export function purchaseTransaction(tableName: string, write: PurchaseWrite): TransactWriteCommandInput {
  const { order, shopper, takes } = write;
  return {
    ClientRequestToken: write.requestToken,
    ReturnConsumedCapacity: "TOTAL",
    TransactItems: [
      ...takes.map((take) => ({
        Update: {
          TableName: tableName,
          Key: shardKey(order.sku, take.shard),
          UpdateExpression: "SET #u = #u - :q",
          ConditionExpression: "#u >= :q",
          ExpressionAttributeNames: { "#u": "units" },
          ExpressionAttributeValues: { ":q": take.units },
        },
      })),
      {
        Put: {
          TableName: tableName,
          // `takes`: where the units came from, so a hold that ends gives them back to the same shards.
          Item: { ...orderKey(shopper, order.orderId), type: "ORDER", shopper, ...order, takes },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: limitKey(shopper, order.sku),
          UpdateExpression: "ADD #u :q",
          ConditionExpression: "attribute_not_exists(#u) OR #u <= :max",
          ExpressionAttributeNames: { "#u": "units" },
          ExpressionAttributeValues: { ":q": order.quantity, ":max": write.perCustomerLimit - order.quantity },
        },
      },
      // A held order is filed under the minute its hold ends, for the expiry sweep (last, so the cancellation
      // reasons of the items above keep their places).
      ...(order.holdExpiresAt
        ? [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...holdKey(order.holdExpiresAt, order.orderId),
                  type: "HOLD",
                  shopper,
                  orderId: order.orderId,
                },
              },
            },
          ]
        : []),
    ],
  };
}

interface CancellationReason {
  Code?: string;
}

/**
 * The domain's storage port on one DynamoDB table (key layout in keys.ts). Every engine fault of its
 * calls reaches the domain as a StoreUnavailableError (the client reports them; see engine-faults.ts).
 */
export class DynamoShopStore implements ShopStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.doc = reportingEngineFaults(doc);
  }

  async readCatalogPage(afterSku: string | undefined, limit: number): Promise<{ products: Product[]; more: boolean }> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": CATALOG_PK },
        Limit: limit,
        ...(afterSku === undefined ? {} : { ExclusiveStartKey: productKey(afterSku) }),
      }),
    );
    return { products: (page.Items ?? []).map(toProduct), more: page.LastEvaluatedKey !== undefined };
  }

  async readProduct(sku: string): Promise<Product | undefined> {
    // Eventually consistent, like the catalog's Query: half the cost, and a merchandiser's change shows within a second.
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: productKey(sku) }));
    return Item ? toProduct(Item) : undefined;
  }

  async readShardUnits(products: ReadonlyArray<Pick<Product, "sku" | "shardCount">>): Promise<Map<string, number[]>> {
    const units = new Map(products.map((product) => [product.sku, new Array<number>(product.shardCount).fill(0)]));
    const keys = products.flatMap((product) =>
      Array.from({ length: product.shardCount }, (_, shard) => shardKey(product.sku, shard)),
    );
    const items = await batchGetAll(this.doc, this.tableName, keys, {
      what: "stock shards",
      consistent: true,
      projection: "pk, #u",
      names: { "#u": "units" },
    });
    for (const item of items) {
      const [, sku, shard] = /^STOCK#(.+)#(\d+)$/.exec(String(item.pk)) ?? [];
      const shards = sku !== undefined ? units.get(sku) : undefined;
      if (shards && shard !== undefined) shards[Number(shard)] = Number(item.units ?? 0);
    }
    return units;
  }

  maxTakes(write: Omit<PurchaseWrite, "takes" | "requestToken">): number {
    // Whatever else the purchase's transaction holds (order, allowance, hold entry) counts against the limit.
    const others = purchaseTransaction(this.tableName, { ...write, takes: [], requestToken: "" }).TransactItems?.length;
    return Math.max(1, transactionItemLimit(this.doc) - (others ?? 0));
  }

  async writePurchase(write: PurchaseWrite): Promise<PurchaseWriteOutcome> {
    const { takes } = write;
    try {
      await this.doc.send(new TransactWriteCommand(purchaseTransaction(this.tableName, write)));
      return { kind: "confirmed" };
    } catch (error) {
      if ((error as Error).name === "TransactionCanceledException") {
        const reasons: string[] = (
          (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []
        ).map((r) => r.Code ?? "None");
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
      // The whole request throttled: another shard, after a pause. Timed out, reset or refused: whether it
      // committed is unknown, so no belief changes; the shopper retries with the same idempotency key and
      // gets the order or a fresh attempt.
      if (THROTTLING_ERRORS.has(errorName(error))) return { kind: "throttled" };
      throw error;
    }
  }

  /**
   * Reads the product and then every shard, consistently; flags the product only if every shard holds 0,
   * on condition that neither its loaded units nor its shard count changed since that read (a refill or a
   * reshard meanwhile makes this a "no"). Stock only falls otherwise, so shards seen at 0 stay at 0.
   * (One transaction with a ConditionCheck per shard would say the same, but DynamoDB Local takes at most
   * 10 items per transaction.)
   */
  async markSoldOut(product: Pick<Product, "sku">): Promise<SoldOutCheck> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: productKey(product.sku), ConsistentRead: true }),
    );
    if (!Item) return { soldOut: false, units: [] };
    if (Item.soldOut === true) return { soldOut: true };
    // The shard count read now, not the caller's: a reshard since its snapshot moved units to other shards.
    const shardCount = Number(Item.shardCount);
    const units = (await this.readShardUnits([{ sku: product.sku, shardCount }])).get(product.sku) ?? [];
    const notSoldOut = { soldOut: false, units } as const;
    if (units.some((shardUnits) => shardUnits > 0)) return notSoldOut;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: productKey(product.sku),
          UpdateExpression: "SET soldOut = :true",
          // Units given back by an ended hold (holds.ts) count in `returnedUnits`, a reshard's moves between shards
          // in `stockMoves` (the shard read is not one snapshot: a move can pass between two of its reads): a
          // return or move since the read is a "no" too.
          ConditionExpression:
            "loadedUnits = :loaded AND shardCount = :shards AND " +
            "(attribute_not_exists(returnedUnits) OR returnedUnits = :returned) AND " +
            "(attribute_not_exists(stockMoves) OR stockMoves = :moves)",
          ExpressionAttributeValues: {
            ":true": true,
            ":loaded": Item.loadedUnits,
            ":shards": Item.shardCount,
            ":returned": Item.returnedUnits ?? 0,
            ":moves": Item.stockMoves ?? 0,
          },
        }),
      );
      return { soldOut: true };
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") return notSoldOut;
      throw error;
    }
  }

  async getOrder(shopper: string, orderId: string): Promise<Order | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: orderKey(shopper, orderId), ConsistentRead: true }),
    );
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
