import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Order, Product } from '../core/shop-types';
import { Clock } from '../sale/clock';
import { grandTotals, orderRows } from './order-rows';

/**
 * The shopper's orders, newest first, with each order's total and status in words and a link to its own page,
 * and the grand total of the confirmed ones.
 */
@Component({
  selector: 'app-orders-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  templateUrl: './orders-page.html',
  styleUrl: './orders-page.css',
})
export class OrdersPage {
  private readonly api = inject(ShopApi);
  private readonly orders = signal<Order[]>([]);
  private readonly products = signal<Product[]>([]);
  private readonly now = inject(Clock).now;

  protected readonly loaded = signal(false);
  protected readonly problem = signal<string | undefined>(undefined);
  protected readonly rows = computed(() => orderRows(this.orders(), this.products(), this.now()));
  protected readonly totals = computed(() => grandTotals(this.orders()));

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.problem.set(undefined);
    try {
      // Product names are a nicety: orders still show (by sku) if the catalog cannot be read.
      const [orders, catalog] = await Promise.all([
        this.api.listOrders(),
        this.api.listProducts().catch(() => ({ products: [] })),
      ]);
      this.orders.set(orders);
      this.products.set(catalog.products);
    } catch (error) {
      this.problem.set(error instanceof ApiError ? error.message : 'Could not load your orders.');
    } finally {
      this.loaded.set(true);
    }
  }
}
