import { randomBytes, randomUUID } from "node:crypto";
import { Shop, type ShopOptions } from "../../src/domain/shop";
import { DynamoAdmissionStore } from "../../src/store/admission-store";
import { DynamoShopStore } from "../../src/store/dynamo-store";
import { createProduct, type NewProduct } from "../../src/store/merchandising";
import { scanTable } from "../../src/store/scan";
import type { createTestTable } from "./table";

export type TestTable = Awaited<ReturnType<typeof createTestTable>>;

const HOUR = 3_600_000;

export function aProduct(overrides: Partial<NewProduct> = {}): NewProduct {
  return {
    sku: `sku-${randomUUID().slice(0, 8)}`,
    name: "Limited sneaker",
    description: "Only a few pairs",
    imageUrl: "https://example.com/sneaker.png",
    priceCents: 12_999,
    currency: "EUR",
    saleStartsAt: new Date(Date.now() - HOUR).toISOString(),
    saleEndsAt: new Date(Date.now() + HOUR).toISOString(),
    perCustomerLimit: 5,
    shardCount: 4,
    units: 20,
    ...overrides,
  };
}

/** A "container": its own Shop (own snapshot and stock knowledge) over the shared table. */
export function aContainer(table: TestTable, options: ShopOptions = {}): Shop {
  return new Shop(new DynamoShopStore(table.doc, table.tableName), options);
}

/** One admission key per test run, shared by every container as the Pulumi program's key is by every function. */
export const TEST_ADMISSION_KEY = randomBytes(32);

/** A container with the waiting room configured (store and key), like the deployed functions. */
export function aWaitingRoomContainer(table: TestTable, options: ShopOptions & { passTtlMs?: number } = {}): Shop {
  const { passTtlMs, ...shopOptions } = options;
  const admission = {
    store: new DynamoAdmissionStore(table.doc, table.tableName),
    key: TEST_ADMISSION_KEY,
    ...(passTtlMs ? { passTtlMs } : {}),
  };
  return new Shop(new DynamoShopStore(table.doc, table.tableName), { ...shopOptions, admission });
}

export async function loadProduct(table: TestTable, product: NewProduct): Promise<NewProduct> {
  await createProduct(table.doc, table.tableName, product);
  return product;
}

export const newKey = () => randomUUID();

/** Everything in the table, for invariant checks straight from the engine. */
export const scanAll = (table: TestTable) => scanTable(table.doc, table.tableName);

/** The stock picture of one product read from the table: shards, orders and per-customer counts. */
export async function stockOf(table: TestTable, sku: string) {
  const items = await scanAll(table);
  const shards = items
    .filter((item) => String(item.pk).startsWith(`STOCK#${sku}#`))
    .sort((a, b) => String(a.pk).localeCompare(String(b.pk), undefined, { numeric: true }))
    .map((item) => Number(item.units));
  const orders = items.filter((item) => item.type === "ORDER" && item.sku === sku);
  const limits = items.filter((item) => item.sk === `LIMIT#${sku}`);
  const product = items.find((item) => item.sk === `PRODUCT#${sku}`);
  return {
    shards,
    available: shards.reduce((sum, units) => sum + units, 0),
    orders,
    unitsSold: orders.reduce((sum, order) => sum + Number(order.quantity), 0),
    limits,
    product,
    loadedUnits: Number(product?.loadedUnits),
  };
}
