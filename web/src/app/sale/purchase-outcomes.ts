import { Injectable, signal } from '@angular/core';
import type { Order } from '../core/shop-types';

/**
 * The last thing a purchase said about one product: its order (confirmed, or held for payment), or why it was
 * refused. `resumed`: a held order found again when the page loaded, not news of this moment.
 */
export type PurchaseOutcome = { kind: 'ordered'; order: Order; resumed?: true } | { kind: 'refused'; message: string };

/**
 * The sale page's latest purchase outcome per product, one per card: a new one replaces the old, so
 * a card never shows a green confirmation and a red refusal at once. Buy forms report here rather
 * than keep it themselves because a form can disappear while its purchase is in flight (a poll shows
 * the product sold out first), and its outcome must still reach the shopper.
 */
@Injectable()
export class PurchaseOutcomes {
  private readonly bySku = signal<Readonly<Record<string, PurchaseOutcome>>>({});
  /** Counts the page's changes of stock made by this shopper (an order, a hold given up or run out): each calls for fresh availability. */
  readonly stockChanges = signal(0);

  of(sku: string): PurchaseOutcome | undefined {
    return this.bySku()[sku];
  }

  ordered(order: Order): void {
    this.set(order.sku, { kind: 'ordered', order });
    this.stockChanged();
  }

  /** A held order found when the page loads: its card shows it again, unless the card already says something. */
  resume(order: Order): void {
    if (!this.bySku()[order.sku]) this.set(order.sku, { kind: 'ordered', order, resumed: true });
  }

  stockChanged(): void {
    this.stockChanges.update((count) => count + 1);
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
