import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import type { Product } from '../core/shop-types';
import { PurchaseForm } from '../sale/purchase-form';
import type { SaleState } from '../sale/sale-format';
import { ShopperOrders } from '../sale/shopper-orders';
import { joinedLines, rememberJoined } from './joined-lines';
import { lineMessage, timeOfDay } from './line-format';
import { LinePoller } from './line-poller';

/**
 * A waiting-room product's line. The shopper joins only by pressing "Join the line" (merely looking at
 * the sale joins nothing, so no turn is used up unseen); then it shows where they stand ("about N
 * ahead, ~M min"), the Buy form by itself when their turn comes, and plain words when the turn passes
 * or the product sells out while they wait. Once the shopper has the most each customer may buy, the
 * turn is used: the line says so instead of offering a Buy that cannot be pressed. It lives across the
 * card's states (upcoming, open, sold out) so none of that is lost.
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
  private readonly orders = inject(ShopperOrders);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  readonly product = input.required<Product>();
  readonly saleState = input.required<SaleState>();

  /** The shopper bought or holds the limit: nothing more to wait or buy for. */
  protected readonly done = computed(
    () => (this.orders.taken()[this.product().sku] ?? 0) >= this.product().perCustomerLimit,
  );
  /** Before joining, while the line can still lead to a purchase. */
  protected readonly canJoin = computed(
    () =>
      this.status().kind === 'idle' && !this.done() && (this.saleState() === 'upcoming' || this.saleState() === 'open'),
  );

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
      const state = this.saleState();
      untracked(() => {
        if (state === 'sold-out') this.line.soldOut();
        else if (state === 'ended') this.line.stop();
      });
    });
    // A line joined in this tab before a reload is followed again (the shopper keeps their place: it is drawn per shopper).
    effect(() => {
      const sku = this.product().sku;
      if (this.canJoin() && untracked(joinedLines).includes(sku)) untracked(() => this.line.start(sku));
    });
  }

  /** Joins at the shopper's request; focus moves to the line, as the pressed button is gone. */
  protected join(): void {
    if (!this.canJoin()) return;
    rememberJoined(this.product().sku);
    this.line.start(this.product().sku);
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>('.line')?.focus(), {
      injector: this.injector,
    });
  }
}
