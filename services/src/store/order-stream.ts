import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import type { OrderImage } from "../domain/order-events";
import { toOrder } from "./items";
import { ORDER_SK_PREFIX } from "./keys";

/** An order item's images in a stream record, or undefined for any other item (stock, claims, holds…). */
export function orderChangeOf(
  record: DynamoDBRecord,
): { before: OrderImage | undefined; after: OrderImage | undefined } | undefined {
  const sk = record.dynamodb?.Keys?.sk?.S;
  if (!sk?.startsWith(ORDER_SK_PREFIX)) return undefined;
  return { before: imageOf(record.dynamodb?.OldImage), after: imageOf(record.dynamodb?.NewImage) };
}

function imageOf(image: Record<string, unknown> | undefined): OrderImage | undefined {
  if (!image) return undefined;
  // Lambda's event and the SDK share DynamoDB's attribute-value JSON; only their type declarations differ.
  const item = unmarshall(image as Record<string, AttributeValue>);
  return { shopper: String(item.shopper), order: toOrder(item) };
}
