import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inParallel } from "../domain/in-parallel";
import { DynamoShopStore } from "./dynamo-store";
import { CATALOG_PK } from "./keys";
import { batchPut, loadProduct, newProductItems, type NewProduct } from "./merchandising";

/** What the merchandiser tools do with a catalog file, decided before anything is written. */
export interface LoadPlan {
  creates: NewProduct[];
  updates: NewProduct[];
  unchanged: string[];
  problems: string[];
}

/** Every catalog item by sku, read consistently. */
export async function readCatalogItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": CATALOG_PK },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) items.set(String(item.sku), item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export function planLoad(
  existing: ReadonlyMap<string, Record<string, unknown>>,
  products: NewProduct[],
  source: string,
): LoadPlan {
  const plan: LoadPlan = { creates: [], updates: [], unchanged: [], problems: [] };
  for (const product of products) {
    const current = existing.get(product.sku);
    if (!current) {
      plan.creates.push(product);
      continue;
    }
    const loaded = Number(current.loadedUnits);
    if (product.units < loaded)
      plan.problems.push(
        `${source}: ${product.sku}: units ${product.units} is below the ${loaded} already loaded (units only grow; sold units cannot be unsold)`,
      );
    else if (product.shardCount !== Number(current.shardCount))
      plan.problems.push(
        `${source}: ${product.sku}: shardCount ${product.shardCount} differs from the current ${String(current.shardCount)}; change it with \`reshard\``,
      );
    else {
      const { units, ...fields } = product;
      const same = units === loaded && Object.entries(fields).every(([name, value]) => current[name] === value);
      if (same) plan.unchanged.push(product.sku);
      else plan.updates.push(product);
    }
  }
  return plan;
}

/**
 * Creates many new products fast: every shard item first, then the catalog items, in batches of 25,
 * so no shopper ever sees a product whose stock is not there yet.
 */
export async function createProducts(
  doc: DynamoDBDocumentClient,
  tableName: string,
  products: NewProduct[],
  onProgress: (done: number) => void,
): Promise<void> {
  const items = products.map(newProductItems);
  const shards = items.flatMap((item) => item.shards);
  const catalog = items.map((item) => item.catalogItem);
  const total = shards.length + catalog.length;
  let done = 0;
  for (const phase of [shards, catalog]) {
    await inParallel(chunks(phase, 25), 8, async (chunk) => {
      await batchPut(doc, tableName, chunk);
      done += chunk.length;
      onProgress(Math.round((done / total) * products.length));
    });
  }
}

export async function updateProducts(
  doc: DynamoDBDocumentClient,
  tableName: string,
  products: NewProduct[],
  onProgress: (done: number) => void,
): Promise<void> {
  let done = 0;
  await inParallel(products, 8, async (product) => {
    await loadProduct(doc, tableName, product);
    onProgress(++done);
  });
}

export interface StockStatus {
  sku: string;
  name: string;
  loaded: number;
  /** Units in confirmed orders (loaded - available - held). */
  sold: number;
  available: number;
  /** Units held by orders waiting for payment. */
  held: number;
  shards: number[];
  orders: number;
  soldOut: boolean;
  saleStartsAt: string;
  saleEndsAt: string;
}

/** Per product: loaded, sold, available, held, per-shard units and orders. Counting orders scans the table. */
export async function readStockStatus(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku?: string,
): Promise<StockStatus[]> {
  const catalog = [...(await readCatalogItems(doc, tableName)).values()].filter(
    (item) => sku === undefined || item.sku === sku,
  );
  const shardUnits = await new DynamoShopStore(doc, tableName).readShardUnits(
    catalog.map((item) => ({ sku: String(item.sku), shardCount: Number(item.shardCount) })),
  );
  const { orders, held } = await countOrders(doc, tableName, sku);
  return catalog.map((item) => {
    const shards = shardUnits.get(String(item.sku)) ?? [];
    const available = shards.reduce((sum, units) => sum + units, 0);
    const heldUnits = held.get(String(item.sku)) ?? 0;
    return {
      sku: String(item.sku),
      name: String(item.name),
      loaded: Number(item.loadedUnits),
      sold: Number(item.loadedUnits) - available - heldUnits,
      available,
      held: heldUnits,
      shards,
      orders: orders.get(String(item.sku)) ?? 0,
      soldOut: item.soldOut === true,
      saleStartsAt: String(item.saleStartsAt),
      saleEndsAt: String(item.saleEndsAt),
    };
  });
}

async function countOrders(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku?: string,
): Promise<{ orders: Map<string, number>; held: Map<string, number> }> {
  const orders = new Map<string, number>();
  const held = new Map<string, number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: sku === undefined ? "#type = :order" : "#type = :order AND sku = :sku",
        ProjectionExpression: "sku, quantity, #status",
        ExpressionAttributeNames: { "#type": "type", "#status": "status" },
        ExpressionAttributeValues: { ":order": "ORDER", ...(sku === undefined ? {} : { ":sku": sku }) },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = String(item.sku);
      orders.set(key, (orders.get(key) ?? 0) + 1);
      if (item.status === "PENDING_PAYMENT") held.set(key, (held.get(key) ?? 0) + Number(item.quantity));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { orders, held };
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
