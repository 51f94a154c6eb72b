import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { Session } from '../auth/session';
import { CatalogPoller } from '../sale/catalog-poller';
import { Clock } from '../sale/clock';
import { ProductCard } from '../sale/product-card';
import { PurchaseOutcomes } from '../sale/purchase-outcomes';
import { ShopperOrders } from '../sale/shopper-orders';

/**
 * One product's own page (`/p/<sku>`): a link to share, and a landing page for its drop. The same data as the
 * sale (the public catalog for visitors, the listing once signed in) with the same live availability, countdown and
 * Buy; an unknown sku gets a plain "not in this sale" page with a way back.
 */
@Component({
  selector: 'app-product-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProductCard, RouterLink],
  providers: [CatalogPoller, PurchaseOutcomes, ShopperOrders],
  templateUrl: './product-page.html',
  styleUrl: './product-page.css',
})
export class ProductPage {
  protected readonly catalog = inject(CatalogPoller);
  private readonly clock = inject(Clock);
  private readonly outcomes = inject(PurchaseOutcomes);
  protected readonly now = this.clock.now;

  /** The route's `:sku`. */
  readonly sku = input.required<string>();

  protected readonly product = computed(() => this.catalog.products().find((product) => product.sku === this.sku()));
  /** Read, and not there: a mistyped or old link (the sale's read failing is a different message). */
  protected readonly missing = computed(() => this.catalog.loaded() && !this.catalog.problem() && !this.product());

  constructor() {
    this.catalog.start();
    const orders = inject(ShopperOrders);
    if (inject(Session).signedIn())
      void orders.load().then(() => {
        for (const order of orders.pending()) if (order.sku === this.sku()) this.outcomes.resume(order);
      });
    // A shared link's tab and history entry name the product.
    const title = inject(Title);
    effect(() => {
      const product = this.product();
      if (product) title.setTitle(`${product.name} · Flash sale`);
      else if (this.missing()) title.setTitle('Not in this sale · Flash sale');
    });
    effect(() => {
      const product = this.product();
      if (product) this.clock.wakeAt([Date.parse(product.saleStartsAt), Date.parse(product.saleEndsAt)]);
    });
    effect(() => {
      // Show the new availability at once after a purchase, or units coming back from a hold.
      if (this.outcomes.stockChanges() > 0) void this.catalog.refresh();
    });
  }
}
