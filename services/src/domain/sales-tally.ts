import type { OrderEvent } from "./order-events";

/**
 * The merchandisers' sales tally (`npm run stock -- watch`): what each order event changes in a product's
 * running counts, kept by the stream consumer so the live view reads a few items by key instead of scanning
 * orders. Counted once per (order, event kind), however often the stream delivers the record.
 */
export interface SalesTally {
  /** Orders confirmed (instant purchases, paid holds, late payments that re-took units) and their units. */
  confirmedOrders: number;
  confirmedUnits: number;
  /** Units in PENDING_PAYMENT orders now: held by new holds, given up when paid, expired or cancelled. */
  heldUnits: number;
  /** Orders that held units (new PENDING_PAYMENT orders). */
  heldOrders: number;
  expiredOrders: number;
  cancelledOrders: number;
  refundedOrders: number;
  /** Units of refunded CONFIRMED orders (a late payment refunded at once had none). */
  refundedUnits: number;
}

export const EMPTY_TALLY: SalesTally = {
  confirmedOrders: 0,
  confirmedUnits: 0,
  heldUnits: 0,
  heldOrders: 0,
  expiredOrders: 0,
  cancelledOrders: 0,
  refundedOrders: 0,
  refundedUnits: 0,
};

/** What one order event adds to its product's tally (negative numbers take away). */
export function tallyChange(event: OrderEvent): Partial<SalesTally> {
  const units = event.order.quantity;
  switch (event.kind) {
    case "held":
      return { heldOrders: 1, heldUnits: units };
    case "confirmed":
      // Only a paid hold gives up held units; an instant purchase or a late payment (from EXPIRED or CANCELLED) held none.
      return {
        confirmedOrders: 1,
        confirmedUnits: units,
        ...(event.from === "PENDING_PAYMENT" ? { heldUnits: -units } : {}),
      };
    case "expired":
      return { expiredOrders: 1, heldUnits: -units };
    case "cancelled":
      return { cancelledOrders: 1, heldUnits: -units };
    case "refunded":
      // A late payment refunded at once (from EXPIRED or CANCELLED) returns money for units it never had.
      return { refundedOrders: 1, ...(event.from === "CONFIRMED" ? { refundedUnits: units } : {}) };
  }
}

/** Tallies added up (the 16 items of a product). */
export function sumTallies(tallies: Iterable<Partial<SalesTally>>): SalesTally {
  const sum = { ...EMPTY_TALLY };
  for (const tally of tallies)
    for (const name of Object.keys(sum) as (keyof SalesTally)[]) sum[name] += Number(tally[name] ?? 0);
  return sum;
}
