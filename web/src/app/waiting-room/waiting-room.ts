import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import type { Product } from '../core/shop-types';
import { PurchaseForm } from '../sale/purchase-form';
import type { SaleState } from '../sale/sale-format';
import { lineMessage, timeOfDay } from './line-format';
import { LinePoller } from './line-poller';

/**
 * A waiting-room product's line: where the shopper stands ("about N ahead, ~M min"), then the Buy
 * form by itself when their turn comes, and plain words when the turn passes or the product sells out
 * while they wait. It lives across the card's states (upcoming, open, sold out) so none of that is lost.
 */
@Component({
  selector: 'app-waiting-room',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [PurchaseForm],
  providers: [LinePoller],
  templateUrl: './waiting-room.html',
  styleUrl: './waiting-room.css',
})
export class WaitingRoom {
  protected readonly line = inject(LinePoller);
  readonly product = input.required<Product>();
  readonly saleState = input.required<SaleState>();

  protected readonly status = this.line.status;
  protected readonly waiting = computed(() => {
    const status = this.status();
    return status.kind === 'waiting' ? lineMessage(status.position, status.waitSeconds) : undefined;
  });
  protected readonly turn = computed(() => {
    const status = this.status();
    return status.kind === 'admitted' ? { pass: status.pass, until: timeOfDay(status.passExpiresAt) } : undefined;
  });
  protected readonly unavailable = computed(() => {
    const status = this.status();
    return status.kind === 'unavailable' ? status.message : undefined;
  });

  constructor() {
    effect(() => {
      const sku = this.product().sku;
      const state = this.saleState();
      untracked(() => {
        if (state === 'sold-out') this.line.soldOut();
        else if (state === 'upcoming' || state === 'open') this.line.start(sku);
        else this.line.stop();
      });
    });
  }
}
