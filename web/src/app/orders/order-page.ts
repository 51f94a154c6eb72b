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
  untracked,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { ShopApi } from '../core/shop-api';
import type { Product } from '../core/shop-types';
import { Clock } from '../sale/clock';
import { PLACEHOLDER_IMAGE, formatPrice } from '../sale/sale-format';
import { HoldPanel } from './hold-panel';
import { ORDER_POLL_MS, OrderFollower } from './order-follower';
import { formatPlacedAt } from './order-rows';
import { statusWords } from './order-status';

/**
 * One order (`/orders/:orderId`, where the payment page sends the shopper back): number, product, quantity, total,
 * time and status in words. While it waits for payment it shows the hold's countdown, Pay now and Cancel, and reads
 * the order again every few seconds, so it turns "Paid" when the provider's webhook lands. Status changes are
 * announced; the countdown is not.
 */
@Component({
  selector: 'app-order-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [HoldPanel, RouterLink],
  providers: [OrderFollower],
  templateUrl: './order-page.html',
  styleUrl: './order-page.css',
})
export class OrderPage {
  private readonly api = inject(ShopApi);
  private readonly injector = inject(Injector);
  private readonly panel = viewChild(HoldPanel, { read: ElementRef<HTMLElement> });
  private readonly statusLine = viewChild<ElementRef<HTMLElement>>('statusLine');
  protected readonly follower = inject(OrderFollower);
  protected readonly now = inject(Clock).now;

  /** The route's `:orderId`. */
  readonly orderId = input.required<string>();

  private readonly products = signal<readonly Product[]>([]);
  protected readonly imageFailed = signal(false);
  protected readonly order = this.follower.order;
  /** The listing's product, for its name and picture; the order still shows (by sku) without it. */
  protected readonly product = computed(() => this.products().find((product) => product.sku === this.order()?.sku));
  protected readonly productName = computed(() => this.product()?.name ?? this.order()?.sku ?? '');
  protected readonly imageSrc = computed(() => {
    const url = this.product()?.imageUrl;
    return this.imageFailed() || !url ? PLACEHOLDER_IMAGE : url;
  });
  protected readonly words = computed(() => {
    const order = this.order();
    return order ? statusWords(order, this.now()) : undefined;
  });
  protected readonly state = computed(() => this.words()?.state);
  /** Pay now and Cancel make sense only while the hold runs. */
  protected readonly payable = computed(() => this.state() === 'waiting' || this.state() === 'declined');
  protected readonly total = computed(() => {
    const order = this.order();
    return order ? formatPrice(order.totalCents, order.currency) : '';
  });
  protected readonly unitPrice = computed(() => {
    const order = this.order();
    return order ? formatPrice(order.priceCents, order.currency) : '';
  });
  protected readonly placedAt = computed(() => {
    const order = this.order();
    return order ? formatPlacedAt(order.createdAt) : '';
  });

  constructor() {
    effect(() => {
      const orderId = this.orderId();
      untracked(() => this.follower.follow(orderId, { everyMs: ORDER_POLL_MS }));
    });
    void this.loadProducts();
    // When the hold stops running (paid, ended, cancelled), Pay now and Cancel go: whoever was on them is brought
    // to the status, which says what happened.
    let previous: string | undefined;
    effect(() => {
      const state = this.state();
      const changed = previous !== undefined && state !== previous;
      previous = state;
      if (!changed) return;
      const panel = untracked(this.panel)?.nativeElement;
      if (panel?.contains(document.activeElement)) this.focusStatus();
    });
  }

  protected async cancel(): Promise<void> {
    await this.follower.cancel();
    if (this.order()?.status !== 'PENDING_PAYMENT') this.focusStatus();
  }

  private focusStatus(): void {
    afterNextRender(
      () => {
        const active = document.activeElement;
        if (!active || active === document.body || !active.isConnected || (active as HTMLButtonElement).disabled)
          this.statusLine()?.nativeElement.focus();
      },
      { injector: this.injector },
    );
  }

  private async loadProducts(): Promise<void> {
    try {
      this.products.set((await this.api.listProducts()).products);
    } catch {
      // Names and pictures are a nicety: the order shows by sku without them.
    }
  }
}
