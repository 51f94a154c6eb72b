/**
 * The table's TTL attribute: DynamoDB deletes an item, at no write cost, some time after this epoch second
 * (usually within a few days). Only the stream consumers' own marks carry it; orders, stock and holds never do.
 */
export const PURGE_AT_ATTRIBUTE = "purgeAt";

/**
 * The stream consumers' dedupe marks (mail claims, sales-tally markers) only have to outlive the records that
 * can repeat them: the stream keeps a record 24 hours and the event source mapping gives up after an hour.
 * A week is ample, and then they go rather than pile up for ever.
 */
export const STREAM_MARK_DAYS = 7;

export const streamMarkPurgeAt = (nowMs: number): number => Math.floor(nowMs / 1000) + STREAM_MARK_DAYS * 86_400;
