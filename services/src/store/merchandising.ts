import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { splitEvenly } from "../domain/stock-split";
import { transactionItemLimit } from "./client";
import { DynamoShopStore } from "./dynamo-store";
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

/** AWS's 100 items per transaction hold every shard plus the catalog item (a reshard's last step needs only one). */
export const MAX_SHARDS = 64;

export type LoadOutcome = "created" | "updated" | "unchanged";

/** Tries of one merchandiser write whose catalog condition failed because another write changed the product meanwhile. */
const RACE_TRIES = 8;

/**
 * Creates the product, or updates an existing one's catalog fields and tops its stock up to `units`
 * loaded in total, fields and units in ONE transaction (all or nothing) on condition that the product's
 * loaded units and shard count are still those read: an `add`, a reshard or another load meanwhile makes
 * it read and plan again, so `units` stays the total and no unit lands outside the live shards.
 * Stock is never taken away here (sold units cannot be unsold) and the shard count is never changed here
 * (that is `reshard`): both are refused with an error naming the product.
 */
export async function loadProduct(
  doc: DynamoDBDocumentClient,
  tableName: string,
  product: NewProduct,
): Promise<LoadOutcome> {
  for (let attempt = 1; ; attempt++) {
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
    const fields = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
    const changed = Object.entries(fields).some(([name, value]) => existing[name] !== value);
    const more = units - loadedUnits;
    if (!changed && more === 0) return "unchanged";
    const names = Object.keys(fields);
    const sets = names.map((_, i) => `#f${i} = :v${i}`);
    const committed = await stockWrite(doc, tableName, existing, more, {
      sets,
      names: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
      values: Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])),
    });
    if (committed) return "updated";
    if (attempt >= RACE_TRIES) throw raceError(sku, "load");
  }
}

/**
 * Adds units to a product in ONE transaction with the catalog's `loadedUnits`, so sold + held + available
 * = loaded holds at every instant; clears the sold-out flag. The units go to the emptiest shards, as many
 * as the engine's transaction holds beside the catalog item (all of them in AWS up to 64 shards; 9 on the
 * bundled DynamoDB Local): purchases pick shards by their units, so an uneven spread sells the same.
 * Conditioned on the shard count read, so a reshard meanwhile makes it plan again rather than add to a
 * shard the reshard just retired.
 */
export async function addUnits(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  units: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const existing = await getProductItem(doc, tableName, sku);
    if (!existing) throw new Error(`${sku}: no such product`);
    if (await stockWrite(doc, tableName, existing, units)) return;
    if (attempt >= RACE_TRIES) throw raceError(sku, "add");
  }
}

/**
 * One transaction: `units` more on the emptiest shards and on the catalog's `loadedUnits` (plus any
 * catalog field `extra` sets), conditioned on the catalog item still having the shard count and loaded
 * units of `existing`. False when that condition failed (another write changed the product meanwhile).
 */
async function stockWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  existing: Record<string, unknown>,
  units: number,
  extra: { sets: string[]; names: Record<string, string>; values: Record<string, unknown> } = {
    sets: [],
    names: {},
    values: {},
  },
): Promise<boolean> {
  const sku = String(existing.sku);
  const shardCount = Number(existing.shardCount);
  const targets = units > 0 ? await emptiestShards(doc, tableName, sku, shardCount, transactionItemLimit(doc) - 1) : [];
  const shares = splitEvenly(units, targets.length || 1);
  const sets = [...extra.sets, ...(units > 0 ? ["soldOut = :false"] : [])];
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          ...targets.flatMap((shard, i) =>
            shares[i] === 0
              ? []
              : [
                  {
                    Update: {
                      TableName: tableName,
                      Key: shardKey(sku, shard),
                      UpdateExpression: "ADD units :share SET #type = :stock",
                      ExpressionAttributeNames: { "#type": "type" },
                      ExpressionAttributeValues: { ":share": shares[i], ":stock": "STOCK" },
                    },
                  },
                ],
          ),
          {
            Update: {
              TableName: tableName,
              Key: productKey(sku),
              UpdateExpression: `ADD loadedUnits :units${sets.length ? ` SET ${sets.join(", ")}` : ""}`,
              ConditionExpression: "shardCount = :shards AND loadedUnits = :loaded",
              ...(Object.keys(extra.names).length ? { ExpressionAttributeNames: extra.names } : {}),
              ExpressionAttributeValues: {
                ...extra.values,
                ":units": units,
                ":shards": shardCount,
                ":loaded": existing.loadedUnits,
                ...(units > 0 ? { ":false": false } : {}),
              },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (catalogConditionFailed(error)) return false;
    throw error;
  }
}

/** Up to `count` of the product's live shards, fewest units first (ties: lowest number). */
async function emptiestShards(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  shardCount: number,
  count: number,
): Promise<number[]> {
  if (shardCount <= count) return Array.from({ length: shardCount }, (_, shard) => shard);
  const units =
    (await new DynamoShopStore(doc, tableName).readShardUnits([{ sku, shardCount }])).get(sku) ??
    new Array<number>(shardCount).fill(0);
  return units
    .map((shardUnits, shard) => ({ shardUnits, shard }))
    .sort((a, b) => a.shardUnits - b.shardUnits || a.shard - b.shard)
    .slice(0, count)
    .map(({ shard }) => shard)
    .sort((a, b) => a - b);
}

/** The transaction was cancelled by its last item's (the catalog item's) condition. */
function catalogConditionFailed(error: unknown): boolean {
  if ((error as Error).name !== "TransactionCanceledException") return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.at(-1)?.Code === "ConditionalCheckFailed";
}

function raceError(sku: string, command: string): Error {
  return new Error(
    `${sku}: ${command} gave way ${RACE_TRIES} times to other writes changing the product (another add, load or reshard); nothing of it was written: run it again`,
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
