import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import type {
  DueHold,
  OrderLifecycleStore,
  OrderRecord,
  RetakeOutcome,
  ReturnedStatus,
  ShardTake,
} from "../domain/ports";
import type { OrderStatus } from "../domain/types";
import { reportingEngineFaults } from "./engine-faults";
import { toOrder } from "./items";
import {
  HOLD_PARTITIONS,
  holdKey,
  holdMinute,
  holdPk,
  limitKey,
  orderKey,
  productKey,
  SWEEP_KEY,
  shardKey,
} from "./keys";

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]>[number];

/**
 * The order lifecycle on the one table (keys.ts). Each move is one TransactWriteItems whose first item is the
 * order's update on condition of its current status, so of two racing moves exactly one commits.
 */
export class DynamoOrderLifecycleStore implements OrderLifecycleStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.doc = reportingEngineFaults(doc);
  }

  async readOrder(shopper: string, orderId: string): Promise<OrderRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: orderKey(shopper, orderId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      shopper,
      order: toOrder(Item),
      takes: Array.isArray(Item.takes) ? (Item.takes as ShardTake[]) : [],
      ...(typeof Item.paymentId === "string" ? { paymentId: Item.paymentId } : {}),
    };
  }

  async setCheckoutUrl(shopper: string, orderId: string, checkoutUrl: string): Promise<void> {
    await this.whilePending(shopper, orderId, "SET checkoutUrl = :url", { ":url": checkoutUrl });
  }

  async notePaymentError(shopper: string, orderId: string, message: string): Promise<void> {
    await this.whilePending(shopper, orderId, "SET paymentError = :message", { ":message": message.slice(0, 300) });
  }

  async confirmPaid(record: OrderRecord, paymentId: string): Promise<boolean> {
    return this.transact([
      this.orderMove(record, ["PENDING_PAYMENT"], "CONFIRMED", "SET paymentId = :payment REMOVE checkoutUrl", {
        ":payment": paymentId,
      }),
      ...this.holdExit(record),
    ]);
  }

  async returnHold(record: OrderRecord, to: ReturnedStatus, shardCount: number): Promise<boolean> {
    return this.returning(record.order.sku, shardCount, (count) => [
      this.orderMove(record, ["PENDING_PAYMENT"], to, "REMOVE checkoutUrl"),
      ...this.unitsBack(record, count),
      ...this.holdExit(record),
    ]);
  }

  async retake(
    record: OrderRecord,
    takes: ShardTake[],
    perCustomerLimit: number,
    paymentId: string,
    reason: string,
  ): Promise<RetakeOutcome> {
    const { order } = record;
    const items: TransactItem[] = [
      this.orderMove(
        record,
        ["EXPIRED", "CANCELLED"],
        "CONFIRMED",
        "SET paymentId = :payment, statusReason = :why, takes = :takes",
        {
          ":payment": paymentId,
          ":why": reason,
          ":takes": takes,
        },
      ),
      {
        Update: {
          TableName: this.tableName,
          Key: limitKey(record.shopper, order.sku),
          UpdateExpression: "ADD #u :q",
          ConditionExpression: "attribute_not_exists(#u) OR #u <= :max",
          ExpressionAttributeNames: { "#u": "units" },
          ExpressionAttributeValues: { ":q": order.quantity, ":max": perCustomerLimit - order.quantity },
        },
      },
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
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return "confirmed";
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (reasons[0] === "ConditionalCheckFailed") return "changed";
      if (reasons[1] === "ConditionalCheckFailed") return "limit";
      return "short";
    }
  }

  async markRefunded(
    record: OrderRecord,
    from: OrderStatus[],
    reason: string,
    returnUnits?: { shardCount: number },
  ): Promise<boolean> {
    const move = this.orderMove(record, from, "REFUNDED", "SET statusReason = :why REMOVE checkoutUrl", {
      ":why": reason,
    });
    if (!returnUnits) return this.transact([move]);
    return this.returning(record.order.sku, returnUnits.shardCount, (count) => [
      move,
      ...this.unitsBack(record, count),
    ]);
  }

  async dueHolds(from: number, now: number, limit: number): Promise<{ due: DueHold[]; complete: boolean }> {
    const due: DueHold[] = [];
    const upTo = new Date(now).toISOString();
    for (let minute = from - (from % 60_000); minute <= now; minute += 60_000) {
      const name = holdMinute(new Date(minute).toISOString());
      const partitions = await Promise.all(
        Array.from({ length: HOLD_PARTITIONS }, (_, partition) => this.dueIn(holdPk(name, partition), upTo, limit)),
      );
      for (const { holds, more } of partitions) {
        due.push(...holds);
        if (more || due.length >= limit) return { due: due.slice(0, limit), complete: false };
      }
    }
    return { due, complete: true };
  }

  async sweepCursor(): Promise<number | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: SWEEP_KEY, ConsistentRead: true }),
    );
    return typeof Item?.doneThrough === "number" ? Item.doneThrough : undefined;
  }

  async setSweepCursor(through: number): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...SWEEP_KEY, doneThrough: through } }));
  }

  private async dueIn(pk: string, upTo: string, limit: number): Promise<{ holds: DueHold[]; more: boolean }> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND sk <= :upTo",
        // The sort key is "<holdExpiresAt>#<orderId>": "~" sorts after "#", so every hold ending by `upTo` is in.
        ExpressionAttributeValues: { ":pk": pk, ":upTo": `${upTo}~` },
        Limit: limit,
      }),
    );
    return {
      holds: (page.Items ?? []).map((item) => ({ shopper: String(item.shopper), orderId: String(item.orderId) })),
      more: page.LastEvaluatedKey !== undefined,
    };
  }

  /** The order's update, on condition that its status is one of `from`. */
  private orderMove(
    record: OrderRecord,
    from: OrderStatus[],
    to: OrderStatus,
    extra: string,
    values: Record<string, unknown> = {},
  ): TransactItem {
    const setStatus = "SET #status = :to, endedAt = :now";
    // "SET a, b REMOVE c" with extra's own SET merged into the one SET clause.
    const [extraSet, extraRemove] = splitUpdate(extra);
    const expression = [
      [setStatus, ...(extraSet ? [extraSet] : [])].join(", "),
      ...(extraRemove ? [`REMOVE ${extraRemove}`] : []),
    ].join(" ");
    return {
      Update: {
        TableName: this.tableName,
        Key: orderKey(record.shopper, record.order.orderId),
        UpdateExpression: expression,
        ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(", ")})`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":to": to,
          ":now": new Date().toISOString(),
          ...Object.fromEntries(from.map((status, i) => [`:from${i}`, status])),
          ...values,
        },
      },
    };
  }

  /** Units back to the shards they came from (a shard beyond the current count gives to a live one), allowance back. */
  private unitsBack(record: OrderRecord, shardCount: number): TransactItem[] {
    const { order } = record;
    const byShard = new Map<number, number>();
    for (const take of record.takes) {
      const shard = take.shard < shardCount ? take.shard : take.shard % shardCount;
      byShard.set(shard, (byShard.get(shard) ?? 0) + take.units);
    }
    return [
      ...[...byShard].map(([shard, units]) => ({
        Update: {
          TableName: this.tableName,
          Key: shardKey(order.sku, shard),
          UpdateExpression: "ADD #u :q",
          ExpressionAttributeNames: { "#u": "units" },
          ExpressionAttributeValues: { ":q": units },
        },
      })),
      {
        Update: {
          TableName: this.tableName,
          Key: limitKey(record.shopper, order.sku),
          UpdateExpression: "ADD #u :minus",
          ExpressionAttributeNames: { "#u": "units" },
          ExpressionAttributeValues: { ":minus": -order.quantity },
        },
      },
      // The sold-out flag goes in the same write as the units (invariant 5); `returnedUnits` tells a concurrent
      // sold-out check (DynamoShopStore.markSoldOut) that stock rose since its read.
      // On condition of the shard count the units were placed by: a reshard since has retired shards, and units
      // put there would never sell (invariant 5); `returning` reads the count again and places them anew.
      {
        Update: {
          TableName: this.tableName,
          Key: productKey(order.sku),
          UpdateExpression: "SET soldOut = :false ADD returnedUnits :q",
          ConditionExpression: "shardCount = :shards",
          ExpressionAttributeValues: { ":false": false, ":q": order.quantity, ":shards": shardCount },
        },
      },
    ];
  }

  /**
   * A move that gives units back, built for the shard count `shardCount`; when the product's count has
   * changed (its condition, the only other one in the transaction, failed) it is read again and the move
   * rebuilt. False when the order's status had moved on.
   */
  private async returning(
    sku: string,
    shardCount: number,
    build: (shardCount: number) => TransactItem[],
  ): Promise<boolean> {
    let count = shardCount;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: build(count) }));
        return true;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons?.[0] === "ConditionalCheckFailed") return false;
        if (!reasons?.includes("ConditionalCheckFailed") || attempt >= 5) throw error;
        const { Item } = await this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: productKey(sku), ConsistentRead: true }),
        );
        if (!Item) throw error;
        count = Number(Item.shardCount);
      }
    }
  }

  /** The hold leaves the expiry index. */
  private holdExit(record: OrderRecord): TransactItem[] {
    const { holdExpiresAt, orderId } = record.order;
    return holdExpiresAt ? [{ Delete: { TableName: this.tableName, Key: holdKey(holdExpiresAt, orderId) } }] : [];
  }

  private async whilePending(
    shopper: string,
    orderId: string,
    expression: string,
    values: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(shopper, orderId),
          UpdateExpression: expression,
          ConditionExpression: "#status = :pending",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ...values, ":pending": "PENDING_PAYMENT" },
        }),
      );
    } catch (error) {
      // The order moved on meanwhile: nothing to note on it.
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    }
  }

  /** True when the move committed; false when the order's status had moved on (its condition failed). */
  private async transact(items: TransactItem[]): Promise<boolean> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[0] === "ConditionalCheckFailed") return false;
      throw error;
    }
  }
}

function cancellationReasons(error: unknown): string[] | undefined {
  if ((error as Error).name !== "TransactionCanceledException") return undefined;
  return ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map(
    (reason) => reason.Code ?? "None",
  );
}

/** "SET a = :a, b = :b REMOVE c" -> ["a = :a, b = :b", "c"]. */
function splitUpdate(extra: string): [string | undefined, string | undefined] {
  const match = /^(?:SET (.*?))?\s*(?:REMOVE (.*))?$/.exec(extra.trim());
  return [match?.[1]?.trim() || undefined, match?.[2]?.trim() || undefined];
}
