import { Injectable, computed, inject, signal } from '@angular/core';
import { ShopApi } from '../core/shop-api';
import type { Order } from '../core/shop-types';

/** Units bought per sku, over every order. */
export function unitsPerSku(orders: Iterable<Order>): Readonly<Record<string, number>> {
  const units: Record<string, number> = {};
  for (const order of orders) units[order.sku] = (units[order.sku] ?? 0) + order.quantity;
  return units;
}

/**
 * What this shopper already bought (GET /orders), so each card can say "You bought 2 of 2" and offer
 * only the quantities still allowed. Orders are kept by id: a confirmed purchase counts at once, and a
 * replayed one (same idempotency key, same order) or a reload of the list never counts twice.
 */
@Injectable()
export class ShopperOrders {
  private readonly api = inject(ShopApi);
  private readonly known = signal<ReadonlyMap<string, Order>>(new Map());

  readonly bought = computed(() => unitsPerSku(this.known().values()));

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
