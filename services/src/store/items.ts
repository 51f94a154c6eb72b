import { type AdmissionBase, DEFAULT_HOLD_SECONDS, type Order, type OrderStatus, type Product } from "../domain/types";

const ORDER_STATUSES = new Set<OrderStatus>(["CONFIRMED", "PENDING_PAYMENT", "EXPIRED", "CANCELLED", "REFUNDED"]);

/** Item ⇄ domain mapping: keys and bookkeeping attributes never leak into the domain or the API. */

export function toProduct(item: Record<string, unknown>): Product {
  return {
    sku: String(item.sku),
    name: String(item.name),
    description: String(item.description ?? ""),
    imageUrl: String(item.imageUrl ?? ""),
    priceCents: Number(item.priceCents),
    currency: String(item.currency),
    saleStartsAt: String(item.saleStartsAt),
    saleEndsAt: String(item.saleEndsAt),
    perCustomerLimit: Number(item.perCustomerLimit),
    shardCount: Number(item.shardCount),
    loadedUnits: Number(item.loadedUnits ?? 0),
    soldOut: item.soldOut === true,
    ...(typeof item.returnedUnits === "number" ? { returnedUnits: item.returnedUnits } : {}),
    waitingRoom: item.waitingRoom === true,
    ...(typeof item.admissionRate === "number" ? { admissionRate: item.admissionRate } : {}),
    ...(item.admissionBase ? { admissionBase: item.admissionBase as AdmissionBase } : {}),
    checkout: item.checkout === "payment" ? "payment" : "instant",
    holdSeconds: typeof item.holdSeconds === "number" ? item.holdSeconds : DEFAULT_HOLD_SECONDS,
  };
}

export function toOrder(item: Record<string, unknown>): Order {
  return {
    orderId: String(item.orderId),
    sku: String(item.sku),
    quantity: Number(item.quantity),
    priceCents: Number(item.priceCents),
    totalCents: Number(item.totalCents),
    currency: String(item.currency),
    createdAt: String(item.createdAt),
    status: ORDER_STATUSES.has(item.status as OrderStatus) ? (item.status as OrderStatus) : "CONFIRMED",
    ...optionalStrings(item, ["holdExpiresAt", "checkoutUrl", "paymentError", "statusReason"]),
  };
}

function optionalStrings<K extends string>(item: Record<string, unknown>, names: K[]): Partial<Record<K, string>> {
  return Object.fromEntries(
    names.filter((name) => typeof item[name] === "string").map((name) => [name, item[name]]),
  ) as Partial<Record<K, string>>;
}
