import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, effect, inject, untracked, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { CatalogPoller } from './catalog-poller';
import { Clock } from './clock';
import { OrderConfirmation } from './order-confirmation';
import { ProductCard } from './product-card';
import { formatPrice } from './sale-format';

/** The sale: every product with live availability, and the confirmation of the last purchase. */
@Component({
  selector: 'app-sale-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProductCard, RouterLink],
  providers: [CatalogPoller, OrderConfirmation],
  templateUrl: './sale-page.html',
  styleUrl: './sale-page.css',
})
export class SalePage {
  protected readonly catalog = inject(CatalogPoller);
  protected readonly orders = inject(OrderConfirmation);
  private readonly clock = inject(Clock);
  protected readonly now = this.clock.now;
  private readonly injector = inject(Injector);
  private readonly confirmationPanel = viewChild<ElementRef<HTMLElement>>('confirmationPanel');

  protected readonly confirmation = computed(() => {
    const order = this.orders.latest();
    if (!order) return undefined;
    const productName = untracked(this.catalog.products).find((product) => product.sku === order.sku)?.name ?? order.sku;
    return { order, productName, total: formatPrice(order.totalCents, order.currency) };
  });
  protected readonly empty = computed(() => this.catalog.loaded() && this.catalog.products().length === 0 && !this.catalog.problem());

  constructor() {
    this.catalog.start();
    // Open and close each sale on the server's instant, not on the next whole-second tick.
    effect(() => this.clock.wakeAt(this.catalog.products().flatMap((product) => [Date.parse(product.saleStartsAt), Date.parse(product.saleEndsAt)])));
    effect(() => {
      if (!this.orders.latest()) return;
      // Show the new availability at once, and bring the confirmation to keyboard and screen-reader users.
      void this.catalog.refresh();
      afterNextRender(() => this.confirmationPanel()?.nativeElement.focus(), { injector: this.injector });
    });
  }
}
