import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import type { Product } from '../core/shop-types';
import { WaitingRoom } from '../waiting-room/waiting-room';
import { PurchaseForm } from './purchase-form';
import { describeCountdown, formatCountdown, formatPrice, saleState, stockFraction } from './sale-format';

export const PLACEHOLDER_IMAGE = '/images/placeholder.svg';

/** One product of the sale: picture, price, state (countdown, units left, sold out, ended) and the buy form. */
@Component({
  selector: 'app-product-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [PurchaseForm, WaitingRoom],
  templateUrl: './product-card.html',
  styleUrl: './product-card.css',
})
export class ProductCard {
  readonly product = input.required<Product>();
  /** The clock, in ms since the epoch: the countdown and the open/ended switch follow it. */
  readonly now = input.required<number>();
  /** The most units seen available since the page loaded: the stock bar's full length. */
  readonly peak = input.required<number>();

  protected readonly imageFailed = signal(false);
  protected readonly state = computed(() => saleState(this.product(), this.now()));
  protected readonly price = computed(() => formatPrice(this.product().priceCents, this.product().currency));
  protected readonly msToStart = computed(() => Date.parse(this.product().saleStartsAt) - this.now());
  protected readonly countdown = computed(() => formatCountdown(this.msToStart()));
  protected readonly countdownSpoken = computed(() => describeCountdown(this.msToStart()));
  protected readonly stockPercent = computed(() => Math.round(stockFraction(this.product().available, this.peak()) * 100));
  protected readonly startsAt = computed(() =>
    new Date(this.product().saleStartsAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
  );
  protected readonly imageSrc = computed(() => (this.imageFailed() || !this.product().imageUrl ? PLACEHOLDER_IMAGE : this.product().imageUrl));
  protected readonly headingId = computed(() => `product-${this.product().sku}`);
}
