import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { splitEvenly } from "../domain/stock-split";
import type { Product } from "../domain/types";
import { productKey, shardKey } from "./keys";

const BATCH_WRITE_LIMIT = 25;

/** A product as a merchandiser loads it: the catalog fields and the units to put on sale (no waiting room unless said). */
export type NewProduct = Omit<
  Product,
  "loadedUnits" | "soldOut" | "returnedUnits" | "waitingRoom" | "admissionBase" | "checkout" | "holdSeconds"
> & {
  units: number;
  waitingRoom?: boolean;
  /** Absent: `instant`. */
  checkout?: Product["checkout"];
  /** Absent: 300 s (payment products only). */
  holdSeconds?: number;
};

/** The items a new product is stored as: its stock shards (units split evenly) and its catalog item. */
export function newProductItems(product: NewProduct): {
  shards: Record<string, unknown>[];
  catalogItem: Record<string, unknown>;
} {
  const { units, ...fields } = product;
  return {
    shards: splitEvenly(units, product.shardCount).map((shardUnits, shard) => ({
      ...shardKey(product.sku, shard),
      type: "STOCK",
      units: shardUnits,
    })),
    catalogItem: { ...productKey(product.sku), type: "PRODUCT", ...fields, loadedUnits: units, soldOut: units === 0 },
  };
}

/**
 * Creates a product with its units split evenly over its shards. Shards are written before the catalog
 * item, so no shopper can see the product before its stock exists.
 */
export async function createProduct(
  doc: DynamoDBDocumentClient,
  tableName: string,
  product: NewProduct,
): Promise<void> {
  const { shards, catalogItem } = newProductItems(product);
  await batchPut(doc, tableName, shards);
  await doc.send(new PutCommand({ TableName: tableName, Item: catalogItem }));
}

export async function batchPut(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    let requests = items.slice(start, start + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** round)));
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/** TransactWriteItems takes at most 100 items: the shards plus the catalog item. */
export const MAX_SHARDS = 64;

export type LoadOutcome = "created" | "updated" | "unchanged";

/**
 * Creates the product, or updates an existing one's catalog fields and tops its stock up to `units`
 * loaded in total. Stock is never taken away here (sold units cannot be unsold) and the shard count
 * is never changed here (that is `reshard`): both are refused with an error naming the product.
 */
export async function loadProduct(
  doc: DynamoDBDocumentClient,
  tableName: string,
  product: NewProduct,
): Promise<LoadOutcome> {
  const existing = await getProductItem(doc, tableName, product.sku);
  if (!existing) {
    await createProduct(doc, tableName, product);
    return "created";
  }
  const loadedUnits = Number(existing.loadedUnits);
  if (product.units < loadedUnits) {
    throw new Error(
      `${product.sku}: units ${product.units} is below the ${loadedUnits} already loaded; units only grow (sold units cannot be unsold)`,
    );
  }
  if (product.shardCount !== Number(existing.shardCount)) {
    throw new Error(
      `${product.sku}: shardCount ${product.shardCount} differs from the current ${String(existing.shardCount)}; use \`reshard\` to change it`,
    );
  }
  const { units, sku, shardCount: _shards, ...given } = product;
  // Optional fields a file leaves out keep their stored value.
  const fields = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as typeof given;
  const changed = Object.entries(fields).some(([name, value]) => existing[name] !== value);
  if (changed) {
    const names = Object.keys(fields);
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: productKey(sku),
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(", ")}`,
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          names.map((name, i) => [`:v${i}`, fields[name as keyof typeof fields]]),
        ),
      }),
    );
  }
  if (units > loadedUnits) await addUnits(doc, tableName, sku, units - loadedUnits);
  return changed || units > loadedUnits ? "updated" : "unchanged";
}

/**
 * Adds units to a product, spread evenly over its shards, in ONE transaction with the catalog's
 * `loadedUnits`, so sold + available = loaded holds at every instant. Clears the sold-out flag.
 */
export async function addUnits(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  units: number,
): Promise<void> {
  const existing = await getProductItem(doc, tableName, sku);
  if (!existing) throw new Error(`${sku}: no such product`);
  const shares = splitEvenly(units, Number(existing.shardCount));
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [
        ...shares.flatMap((share, shard) =>
          share === 0
            ? []
            : [
                {
                  Update: {
                    TableName: tableName,
                    Key: shardKey(sku, shard),
                    UpdateExpression: "ADD units :share",
                    ExpressionAttributeValues: { ":share": share },
                  },
                },
              ],
        ),
        {
          Update: {
            TableName: tableName,
            Key: productKey(sku),
            UpdateExpression: "ADD loadedUnits :units SET soldOut = :false",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":units": units, ":false": false },
          },
        },
      ],
    }),
  );
}

export async function getProductItem(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: productKey(sku), ConsistentRead: true }));
  return Item;
}
