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
  signal,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Product } from '../core/shop-types';
import { WaitingRoom } from '../waiting-room/waiting-room';
import { PurchaseForm } from './purchase-form';
import { PurchaseOutcomes } from './purchase-outcomes';
import { describeCountdown, formatCountdown, formatPrice, saleState, stockFraction } from './sale-format';
import { ShopperOrders } from './shopper-orders';

export const PLACEHOLDER_IMAGE = '/images/placeholder.svg';

/**
 * One product of the sale: picture, price, state (countdown, units left, sold out, ended), the buy
 * form, how many of it this shopper has, and one message: the latest purchase outcome.
 */
@Component({
  selector: 'app-product-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [PurchaseForm, RouterLink, WaitingRoom],
  templateUrl: './product-card.html',
  styleUrl: './product-card.css',
})
export class ProductCard {
  private readonly outcomes = inject(PurchaseOutcomes);
  private readonly orders = inject(ShopperOrders);
  private readonly confirmation = viewChild<ElementRef<HTMLElement>>('confirmation');
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  readonly product = input.required<Product>();
  /** The server's clock, in ms since the epoch: the countdown and the open/ended switch follow it. */
  readonly now = input.required<number>();

  protected readonly imageFailed = signal(false);
  protected readonly state = computed(() => saleState(this.product(), this.now()));
  protected readonly price = computed(() => formatPrice(this.product().priceCents, this.product().currency));
  protected readonly msToStart = computed(() => Date.parse(this.product().saleStartsAt) - this.now());
  protected readonly countdown = computed(() => formatCountdown(this.msToStart()));
  protected readonly countdownSpoken = computed(() => describeCountdown(this.msToStart()));
  protected readonly stockPercent = computed(() =>
    Math.round(stockFraction(this.product().available, this.product().loadedUnits) * 100),
  );
  protected readonly startsAt = computed(() =>
    new Date(this.product().saleStartsAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
  );
  protected readonly imageSrc = computed(() =>
    this.imageFailed() || !this.product().imageUrl ? PLACEHOLDER_IMAGE : this.product().imageUrl,
  );
  protected readonly headingId = computed(() => `product-${this.product().sku}`);
  protected readonly bought = computed(() => this.orders.bought()[this.product().sku] ?? 0);
  protected readonly outcome = computed(() => this.outcomes.of(this.product().sku));
  protected readonly total = computed(() => {
    const said = this.outcome();
    return said?.kind === 'confirmed' ? formatPrice(said.order.totalCents, said.order.currency) : '';
  });

  constructor() {
    // A confirmation is news the shopper must not miss: bring it to keyboard and screen-reader users.
    effect(() => {
      if (this.outcome()?.kind === 'confirmed')
        afterNextRender(() => this.confirmation()?.nativeElement.focus(), { injector: this.injector });
    });
  }

  /** Removes the confirmation, leaving focus on the product's name rather than nowhere. */
  protected dismiss(): void {
    this.outcomes.clear(this.product().sku);
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>('h2')?.focus(), {
      injector: this.injector,
    });
  }
}
