/**
 * The single table's key layout. Every item has a string partition key `pk` and sort key `sk`.
 *
 * - Catalog:  pk CATALOG,               sk PRODUCT#<sku>     one Query reads the whole (sale-sized) catalog
 * - Stock:    pk STOCK#<sku>#<k>,       sk STOCK             k = 0..shardCount-1, attribute `units`
 * - Order:    pk SHOPPER#<sub>,         sk ORDER#<orderId>   orderId is the shopper's idempotency key
 * - Limit:    pk SHOPPER#<sub>,         sk LIMIT#<sku>       attribute `units`: units this shopper bought
 * - Join:     pk SHOPPER#<sub>,         sk ADMISSION#<sku>#<saleStartsAt>   a waiting-room join (store/admission-store.ts)
 * - Joins:    pk JOINS#<sku>#<saleStartsAt>#<k>, sk JOINS    k = 0..15, attributes `early`, `late`: join counts
 */
export const TABLE_KEY = { partition: "pk", sort: "sk" } as const;

export const CATALOG_PK = "CATALOG";
export const productKey = (sku: string) => ({ pk: CATALOG_PK, sk: `PRODUCT#${sku}` });
export const shardKey = (sku: string, shard: number) => ({ pk: `STOCK#${sku}#${shard}`, sk: "STOCK" });
export const shopperPk = (shopper: string) => `SHOPPER#${shopper}`;
export const orderKey = (shopper: string, orderId: string) => ({ pk: shopperPk(shopper), sk: `ORDER#${orderId}` });
export const limitKey = (shopper: string, sku: string) => ({ pk: shopperPk(shopper), sk: `LIMIT#${sku}` });
export const ORDER_SK_PREFIX = "ORDER#";
export const joinKey = (shopper: string, sku: string, sale: string) => ({
  pk: shopperPk(shopper),
  sk: `ADMISSION#${sku}#${sale}`,
});
export const joinCounterKey = (sku: string, sale: string, shard: number) => ({
  pk: `JOINS#${sku}#${sale}#${shard}`,
  sk: "JOINS",
});
