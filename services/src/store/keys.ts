/**
 * The single table's key layout. Every item has a string partition key `pk` and sort key `sk`.
 *
 * - Catalog:  pk CATALOG,               sk PRODUCT#<sku>     one Query reads the whole (sale-sized) catalog
 * - Stock:    pk STOCK#<sku>#<k>,       sk STOCK             k = 0..shardCount-1, attribute `units`
 * - Order:    pk SHOPPER#<sub>,         sk ORDER#<orderId>   orderId is the shopper's idempotency key
 * - Limit:    pk SHOPPER#<sub>,         sk LIMIT#<sku>       attribute `units`: units this shopper bought
 * - Join:     pk SHOPPER#<sub>,         sk ADMISSION#<sku>#<saleStartsAt>   a waiting-room join (store/admission-store.ts)
 * - Joins:    pk JOINS#<sku>#<saleStartsAt>#<k>, sk JOINS    k = 0..15, attributes `early`, `late`: join counts
 * - Hold:     pk HOLDS#<minute>#<k>,    sk <holdExpiresAt>#<orderId>   a held order, filed under the minute its hold
 *             ends (k = 0..15 from the order id, so one sale's holds spread over 16 partitions per minute)
 * - Sweep:    pk SWEEP,                 sk SWEEP             attribute `doneThrough`: minutes swept clean
 * - Mail:     pk SHOPPER#<sub>,         sk MAIL#<orderId>#<event>   a mail's claim, so each goes out once
 *             (store/mail-claims.ts); in the shopper's partition like the order, so never a hot key
 * - Tally:    pk TALLY#<sku>#<k>,       sk TALLY             k = 0..15 from the order id: the sales tally's running
 *             counts (domain/sales-tally.ts, store/sales-tally.ts)
 * - Counted:  pk SHOPPER#<sub>,         sk TALLIED#<orderId>#<event>   an order event the tally has counted, written
 *             in the same transaction as its counts, so a replayed record counts nothing
 */
export const TABLE_KEY = { partition: "pk", sort: "sk" } as const;

export const CATALOG_PK = "CATALOG";
export const productKey = (sku: string) => ({ pk: CATALOG_PK, sk: `PRODUCT#${sku}` });
export const shardKey = (sku: string, shard: number) => ({ pk: `STOCK#${sku}#${shard}`, sk: "STOCK" });
export const shopperPk = (shopper: string) => `SHOPPER#${shopper}`;
export const orderKey = (shopper: string, orderId: string) => ({ pk: shopperPk(shopper), sk: `ORDER#${orderId}` });
export const limitKey = (shopper: string, sku: string) => ({ pk: shopperPk(shopper), sk: `LIMIT#${sku}` });
export const ORDER_SK_PREFIX = "ORDER#";
export const mailClaimKey = (shopper: string, mailId: string) => ({ pk: shopperPk(shopper), sk: `MAIL#${mailId}` });
export const joinKey = (shopper: string, sku: string, sale: string) => ({
  pk: shopperPk(shopper),
  sk: `ADMISSION#${sku}#${sale}`,
});
export const joinCounterKey = (sku: string, sale: string, shard: number) => ({
  pk: `JOINS#${sku}#${sale}#${shard}`,
  sk: "JOINS",
});

/** Hold index partitions per minute: 100,000 holds ending in one minute are ~6,250 items per partition. */
export const HOLD_PARTITIONS = 16;
/** A minute as the hold index names it: "2026-12-05T17:42". */
export const holdMinute = (instant: string) => instant.slice(0, 16);
export const holdPk = (minute: string, partition: number) => `HOLDS#${minute}#${partition}`;
export const holdKey = (holdExpiresAt: string, orderId: string) => ({
  pk: holdPk(holdMinute(holdExpiresAt), holdPartition(orderId)),
  sk: `${holdExpiresAt}#${orderId}`,
});
export const SWEEP_KEY = { pk: "SWEEP", sk: "SWEEP" } as const;

/** A stable partition 0..15 for an order id (FNV-1a): a retried write files the hold in the same place. */
export function holdPartition(orderId: string): number {
  return fnv1a(orderId) % HOLD_PARTITIONS;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Tally items per product. Each order event is one transaction (2 write units per item) that updates ONE of
 * them, picked by the order id; a partition takes 1,000 write units/s, so one item takes 500 events/s at a
 * sale's peak and 16 take 8,000/s: a product on 16 stock shards selling at their ceiling (16 x 500
 * purchases/s). The live view reads all 16 in one BatchGetItem.
 */
export const TALLY_PARTITIONS = 16;
export const tallyKey = (sku: string, partition: number) => ({ pk: `TALLY#${sku}#${partition}`, sk: "TALLY" });
/** The tally item an order's events count on: the same one for every copy of a record. */
export const tallyKeyOf = (sku: string, orderId: string) => tallyKey(sku, fnv1a(orderId) % TALLY_PARTITIONS);
export const talliedKey = (shopper: string, orderId: string, kind: string) => ({
  pk: shopperPk(shopper),
  sk: `TALLIED#${orderId}#${kind}`,
});
