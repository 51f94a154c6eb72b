import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type AuditReport, readWatchedProducts } from "@flash-sale/services/store";

/**
 * `stock watch` checked against the audit after a run: what the live view reads (the shards and the sales tally
 * the stream consumer keeps) must reach what the consistent Scan found for the product (available, held, sold, and
 * units in confirmed orders: the tally's confirmed less refunded), within `waitMs` while the consumer catches up. Says how it went in one line for the report's notes.
 */
export async function watchAgainstAudit(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  audit: AuditReport,
  waitMs = 15_000,
): Promise<string> {
  const product = audit.products.find((candidate) => candidate.sku === sku);
  if (!product) return `stock watch: ${sku} is not in the audit`;
  const want = {
    available: product.availableUnits,
    held: product.heldUnits,
    sold: product.loadedUnits - product.availableUnits - product.heldUnits,
    confirmed: product.orderedUnits,
  };
  const describe = (counts: typeof want) =>
    `available ${counts.available}, held ${counts.held}, sold ${counts.sold}, confirmed ${counts.confirmed}`;
  const started = Date.now();
  for (;;) {
    const [seen] = await readWatchedProducts(doc, tableName, sku);
    const got = {
      available: seen?.available ?? 0,
      held: seen?.held ?? 0,
      sold: seen?.sold ?? 0,
      confirmed: (seen?.tally.confirmedUnits ?? 0) - (seen?.tally.refundedUnits ?? 0),
    };
    const waited = Date.now() - started;
    if (describe(got) === describe(want))
      return `stock watch matched the audit (${describe(want)}) ${(waited / 1_000).toFixed(1)} s after it`;
    if (waited >= waitMs)
      return `stock watch did NOT match the audit after ${waitMs / 1_000} s: watch ${describe(got)}; audit ${describe(want)} (is the order-events consumer running?)`;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
