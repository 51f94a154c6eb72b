import { Injectable, computed, inject, signal } from '@angular/core';
import { ShopApi } from '../core/shop-api';
import type { Order } from '../core/shop-types';

/** Units per sku, over the orders in one of the given statuses. */
export function unitsPerSku(
  orders: Iterable<Order>,
  statuses: readonly Order['status'][] = ['CONFIRMED'],
): Readonly<Record<string, number>> {
  const units: Record<string, number> = {};
  for (const order of orders)
    if (statuses.includes(order.status)) units[order.sku] = (units[order.sku] ?? 0) + order.quantity;
  return units;
}

/**
 * What this shopper already bought or holds (GET /orders), so each card can say "You bought 2 of 2" and offer
 * only the quantities still allowed. Orders are kept by id, the newest copy of each: a purchase counts at once, a
 * replayed one (same idempotency key, same order) or a reload of the list never counts twice, and a held order
 * that ends (expired, cancelled) stops counting: its units and the allowance went back.
 */
@Injectable()
export class ShopperOrders {
  private readonly api = inject(ShopApi);
  private readonly known = signal<ReadonlyMap<string, Order>>(new Map());

  /** Units in confirmed (bought, or paid) orders, per sku. */
  readonly bought = computed(() => unitsPerSku(this.known().values()));
  /** Units held in orders waiting for payment, per sku. */
  readonly held = computed(() => unitsPerSku(this.known().values(), ['PENDING_PAYMENT']));
  /** What counts against the per-customer limit: bought and held units, per sku. */
  readonly taken = computed(() => unitsPerSku(this.known().values(), ['CONFIRMED', 'PENDING_PAYMENT']));

  /** The newest known copy of an order. */
  get(orderId: string): Order | undefined {
    return this.known().get(orderId);
  }

  /** Orders waiting for payment, newest first. */
  pending(): Order[] {
    return [...this.known().values()]
      .filter((order) => order.status === 'PENDING_PAYMENT')
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  /** Reads the shopper's orders. If that fails the grid offers up to the limit; the shop still enforces it. */
  async load(): Promise<void> {
    try {
      this.add(...(await this.api.listOrders()));
    } catch {
      // Nothing to show but what is known; the next purchase or visit tries again.
    }
  }

  add(...orders: Order[]): void {
    if (orders.length === 0) return;
    this.known.update((known) => new Map([...known, ...orders.map((order) => [order.orderId, order] as const)]));
  }
}
