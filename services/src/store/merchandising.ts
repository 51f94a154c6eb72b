import { BatchWriteCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { splitEvenly } from "../domain/stock-split";
import type { Product } from "../domain/types";
import { productKey, shardKey } from "./keys";

const BATCH_WRITE_LIMIT = 25;

/** A product as a merchandiser loads it: the catalog fields and the units to put on sale. */
export type NewProduct = Omit<Product, "loadedUnits" | "soldOut"> & { units: number };

/**
 * Creates a product with its units split evenly over its shards. Shards are written before the catalog
 * item, so no shopper can see the product before its stock exists.
 */
export async function createProduct(doc: DynamoDBDocumentClient, tableName: string, product: NewProduct): Promise<void> {
  const { units, ...fields } = product;
  const shardItems = splitEvenly(units, product.shardCount).map((shardUnits, shard) => ({
    ...shardKey(product.sku, shard),
    type: "STOCK",
    units: shardUnits,
  }));
  await batchPut(doc, tableName, shardItems);
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...productKey(product.sku), type: "PRODUCT", ...fields, loadedUnits: units, soldOut: units === 0 },
    }),
  );
}

export async function batchPut(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    let requests = items.slice(start, start + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** round)));
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}
