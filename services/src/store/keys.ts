/**
 * The single table's key layout. Every item has a string partition key `pk` and sort key `sk`.
 *
 * - Catalog:  pk CATALOG,               sk PRODUCT#<sku>     one Query reads the whole (sale-sized) catalog
 * - Stock:    pk STOCK#<sku>#<k>,       sk STOCK             k = 0..shardCount-1, attribute `units`
 * - Order:    pk SHOPPER#<sub>,         sk ORDER#<orderId>   orderId is the shopper's idempotency key
 * - Limit:    pk SHOPPER#<sub>,         sk LIMIT#<sku>       attribute `units`: units this shopper bought
 */
export const TABLE_KEY = { partition: "pk", sort: "sk" } as const;

export const CATALOG_PK = "CATALOG";
export const productKey = (sku: string) => ({ pk: CATALOG_PK, sk: `PRODUCT#${sku}` });
export const shardKey = (sku: string, shard: number) => ({ pk: `STOCK#${sku}#${shard}`, sk: "STOCK" });
export const shopperPk = (shopper: string) => `SHOPPER#${shopper}`;
export const orderKey = (shopper: string, orderId: string) => ({ pk: shopperPk(shopper), sk: `ORDER#${orderId}` });
export const limitKey = (shopper: string, sku: string) => ({ pk: shopperPk(shopper), sk: `LIMIT#${sku}` });
export const ORDER_SK_PREFIX = "ORDER#";
