import { Injectable, signal } from '@angular/core';
import type { Order } from '../core/shop-types';

/** The last thing a purchase said about one product: its confirmed order, or why it was refused. */
export type PurchaseOutcome = { kind: 'confirmed'; order: Order } | { kind: 'refused'; message: string };

/**
 * The sale page's latest purchase outcome per product, one per card: a new one replaces the old, so
 * a card never shows a green confirmation and a red refusal at once. Buy forms report here rather
 * than keep it themselves because a form can disappear while its purchase is in flight (a poll shows
 * the product sold out first), and its outcome must still reach the shopper.
 */
@Injectable()
export class PurchaseOutcomes {
  private readonly bySku = signal<Readonly<Record<string, PurchaseOutcome>>>({});
  /** The newest confirmed order of the page, whichever product it was for. */
  readonly lastConfirmed = signal<Order | undefined>(undefined);

  of(sku: string): PurchaseOutcome | undefined {
    return this.bySku()[sku];
  }

  confirm(order: Order): void {
    this.set(order.sku, { kind: 'confirmed', order });
    this.lastConfirmed.set(order);
  }

  refuse(sku: string, message: string): void {
    this.set(sku, { kind: 'refused', message });
  }

  clear(sku: string): void {
    this.set(sku, undefined);
  }

  private set(sku: string, outcome: PurchaseOutcome | undefined): void {
    this.bySku.update((current) => {
      const next = { ...current };
      if (outcome) next[sku] = outcome;
      else delete next[sku];
      return next;
    });
  }
}
