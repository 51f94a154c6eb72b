import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { OrderEvent } from "../domain/order-events";
import { type SalesTally, sumTallies, tallyChange } from "../domain/sales-tally";
import { batchGetAll } from "./batch-get";
import { PURGE_AT_ATTRIBUTE, streamMarkPurgeAt } from "./purge";
import { TALLY_PARTITIONS, talliedKey, tallyKey, tallyKeyOf } from "./keys";

/**
 * The sales tally as items of the one table (keys.ts). An order event's counts and its "counted" marker are ONE
 * transaction: the marker's put is conditioned on its absence, so a duplicated or replayed record cancels the
 * whole write and counts nothing, and a crash can never leave counts without a marker or a marker without counts.
 * The marker lives in the shopper's partition (never hot); the counts on one of the product's 16 tally items.
 */
export function salesTallyEffect(doc: DynamoDBDocumentClient, tableName: string): (event: OrderEvent) => Promise<void> {
  return async (event) => {
    const { order } = event;
    const change = Object.entries(tallyChange(event));
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...talliedKey(event.shopper, order.orderId, event.kind),
                  type: "TALLIED",
                  [PURGE_AT_ATTRIBUTE]: streamMarkPurgeAt(Date.now()),
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: tallyKeyOf(order.sku, order.orderId),
                UpdateExpression: `SET #type = :tally, sku = :sku ADD ${change.map((_, i) => `#c${i} :c${i}`).join(", ")}`,
                ExpressionAttributeNames: {
                  "#type": "type",
                  ...Object.fromEntries(change.map(([name], i) => [`#c${i}`, name])),
                },
                ExpressionAttributeValues: {
                  ":tally": "TALLY",
                  ":sku": order.sku,
                  ...Object.fromEntries(change.map(([, value], i) => [`:c${i}`, value])),
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!alreadyCounted(error)) throw error;
    }
  };
}

/** The transaction was cancelled by the marker's condition alone: this (order, kind) was counted before. */
function alreadyCounted(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (
    (error as Error).name === "TransactionCanceledException" &&
    reasons?.[0]?.Code === "ConditionalCheckFailed" &&
    reasons.slice(1).every((reason) => !reason.Code || reason.Code === "None")
  );
}

/** Each product's tally: its 16 items in one BatchGetItem per 6 products (100 keys), eventually consistent. */
export async function readSalesTallies(
  doc: DynamoDBDocumentClient,
  tableName: string,
  skus: readonly string[],
): Promise<Map<string, SalesTally>> {
  const keys = skus.flatMap((sku) =>
    Array.from({ length: TALLY_PARTITIONS }, (_, partition) => tallyKey(sku, partition)),
  );
  const items = await batchGetAll(doc, tableName, keys, { what: "tally items" });
  return new Map(skus.map((sku) => [sku, sumTallies(items.filter((item) => item.sku === sku))]));
}
