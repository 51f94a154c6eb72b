import { ChangeDetectionStrategy, Component, computed, effect, inject, linkedSignal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Session } from '../auth/session';
import { CatalogPoller } from './catalog-poller';
import { Clock } from './clock';
import { ProductCard } from './product-card';
import { PurchaseOutcomes } from './purchase-outcomes';
import { keepPlaces, saleOrder } from './sale-format';
import { ShopperOrders } from './shopper-orders';
import type { Product } from '../core/shop-types';

/**
 * The sale: every product with live availability, open ones first. A visitor sees it all from the public catalog
 * (signing in is asked for at Buy or at joining a line); a signed-in shopper also sees what they have bought.
 */
@Component({
  selector: 'app-sale-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProductCard, RouterLink],
  providers: [CatalogPoller, PurchaseOutcomes, ShopperOrders],
  templateUrl: './sale-page.html',
  styleUrl: './sale-page.css',
})
export class SalePage {
  protected readonly catalog = inject(CatalogPoller);
  private readonly outcomes = inject(PurchaseOutcomes);
  private readonly clock = inject(Clock);
  protected readonly now = this.clock.now;
  protected readonly signedIn = inject(Session).signedIn;

  /** Ordered when first shown; then each card keeps its place (see keepPlaces). */
  protected readonly products = linkedSignal({
    source: () => saleOrder(this.catalog.products(), this.now()),
    computation: (ordered: Product[], previous?: { value: Product[] }) => keepPlaces(previous?.value, ordered),
  });
  protected readonly empty = computed(
    () => this.catalog.loaded() && this.catalog.products().length === 0 && !this.catalog.problem(),
  );

  constructor() {
    this.catalog.start();
    const orders = inject(ShopperOrders);
    // A reload keeps a held order on its card, with its countdown, Pay now and Cancel. A visitor has no orders.
    if (this.signedIn())
      void orders.load().then(() => {
        for (const order of orders.pending()) this.outcomes.resume(order);
      });
    // Open and close each sale on the server's instant, not on the next whole-second tick.
    effect(() =>
      this.clock.wakeAt(
        this.catalog
          .products()
          .flatMap((product) => [Date.parse(product.saleStartsAt), Date.parse(product.saleEndsAt)]),
      ),
    );
    effect(() => {
      // Show the new availability at once after a purchase, or units coming back from a hold.
      if (this.outcomes.stockChanges() > 0) void this.catalog.refresh();
    });
  }
}
