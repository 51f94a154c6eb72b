import type { Order, OrderStatus } from "./types";

/**
 * What the table's stream says happened to an order, for the consumers that act on it (mails, the sales
 * tally). An event is the order ENTERING a status, so an update that leaves the status alone (a checkout
 * URL set, a payment error noted) and a replayed record of the same write both derive the same thing or
 * nothing: consumers dedupe on (order, kind), never on the record. "held" is a new PENDING_PAYMENT order
 * (units held while the shopper pays): the sales tally counts it; no mail goes for it.
 */
export type OrderEventKind = "held" | "confirmed" | "expired" | "refunded" | "cancelled";

export interface OrderEvent {
  kind: OrderEventKind;
  shopper: string;
  order: Order;
  /** The status the order left (absent for a new order): a confirmed order held units only if it was PENDING_PAYMENT. */
  from?: OrderStatus;
}

/** One order item as a stream image shows it: its shopper and the order. */
export interface OrderImage {
  shopper: string;
  order: Order;
}

const ENTERED: Partial<Record<OrderStatus, OrderEventKind>> = {
  PENDING_PAYMENT: "held",
  CONFIRMED: "confirmed",
  EXPIRED: "expired",
  REFUNDED: "refunded",
  CANCELLED: "cancelled",
};

/**
 * At most one event from an order item's images before and after a write. An instant purchase (no old
 * image, written CONFIRMED) is confirmed; so is a held order paid, or a late payment re-taking units
 * (EXPIRED or CANCELLED -> CONFIRMED). A new PENDING_PAYMENT order is held; a deleted item is no event.
 */
export function orderEventOf(before: OrderImage | undefined, after: OrderImage | undefined): OrderEvent | undefined {
  if (!after || before?.order.status === after.order.status) return undefined;
  const kind = ENTERED[after.order.status];
  if (!kind) return undefined;
  return { kind, shopper: after.shopper, order: after.order, ...(before ? { from: before.order.status } : {}) };
}
