import { ChangeDetectionStrategy, Component, ElementRef, afterNextRender, computed, inject, Injector, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Order } from '../core/shop-types';
import { CatalogPoller } from './catalog-poller';
import { Clock } from './clock';
import { ProductCard } from './product-card';
import { formatPrice } from './sale-format';

interface Confirmation {
  order: Order;
  productName: string;
  total: string;
}

/** The sale: every product with live availability, and the confirmation of the last purchase. */
@Component({
  selector: 'app-sale-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProductCard, RouterLink],
  providers: [CatalogPoller],
  templateUrl: './sale-page.html',
  styleUrl: './sale-page.css',
})
export class SalePage {
  protected readonly catalog = inject(CatalogPoller);
  protected readonly now = inject(Clock).now;
  private readonly injector = inject(Injector);
  private readonly confirmationPanel = viewChild<ElementRef<HTMLElement>>('confirmationPanel');

  protected readonly confirmation = signal<Confirmation | undefined>(undefined);
  protected readonly empty = computed(() => this.catalog.loaded() && this.catalog.products().length === 0 && !this.catalog.problem());

  constructor() {
    this.catalog.start();
  }

  protected onPurchased(order: Order): void {
    const productName = this.catalog.products().find((product) => product.sku === order.sku)?.name ?? order.sku;
    this.confirmation.set({ order, productName, total: formatPrice(order.totalCents, order.currency) });
    void this.catalog.refresh();
    // Bring the confirmation into view and to keyboard and screen-reader users.
    afterNextRender(() => this.confirmationPanel()?.nativeElement.focus(), { injector: this.injector });
  }
}
