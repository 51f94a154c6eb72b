import { Injectable, signal } from '@angular/core';
import type { Order } from '../core/shop-types';

/**
 * The sale page's latest confirmed order. Buy forms report here rather than through an output
 * because a form can disappear while its purchase is in flight (a poll shows the product sold out
 * first), and its confirmation must still reach the shopper.
 */
@Injectable()
export class OrderConfirmation {
  readonly latest = signal<Order | undefined>(undefined);

  confirm(order: Order): void {
    this.latest.set(order);
  }

  dismiss(): void {
    this.latest.set(undefined);
  }
}
