import { DOCUMENT, DestroyRef, Injectable, inject, signal } from '@angular/core';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Product } from '../core/shop-types';

export const POLL_INTERVAL_MS = 2_000;

/**
 * The sale's products, refreshed every ~2 s while the tab is visible and not at all while it is
 * hidden (a hidden tab resumes with an immediate refresh). Provided per page, so leaving the page stops it.
 */
@Injectable()
export class CatalogPoller {
  private readonly api = inject(ShopApi);
  private readonly document = inject(DOCUMENT);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private running = false;

  readonly products = signal<Product[]>([]);
  readonly loaded = signal(false);
  /** Set while the last refresh failed; the last known products stay on screen. */
  readonly problem = signal<string | undefined>(undefined);
  /** Per sku, the most units seen available since the page loaded: the stock bar's full length. */
  readonly peaks = signal<Readonly<Record<string, number>>>({});

  constructor() {
    const onVisibility = () => {
      if (this.running && this.visible()) void this.refresh();
      else clearTimeout(this.timer);
    };
    this.document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => {
      this.running = false;
      clearTimeout(this.timer);
      this.document.removeEventListener('visibilitychange', onVisibility);
    });
  }

  start(): void {
    this.running = true;
    void this.refresh();
  }

  /** Fetches now (e.g. right after a purchase) and restarts the interval from here. */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    if (!this.running || !this.visible()) return;
    const mine = ++this.generation;
    try {
      const { products } = await this.api.listProducts();
      if (mine !== this.generation) return; // a newer refresh started meanwhile
      this.products.set(products);
      this.peaks.update((peaks) => {
        const next = { ...peaks };
        for (const product of products) next[product.sku] = Math.max(next[product.sku] ?? 0, product.available);
        return next;
      });
      this.problem.set(undefined);
    } catch (error) {
      if (mine !== this.generation) return;
      this.problem.set(error instanceof ApiError ? error.message : 'Could not load the sale.');
    } finally {
      if (mine === this.generation) {
        this.loaded.set(true);
        if (this.running && this.visible()) this.timer = setTimeout(() => void this.refresh(), POLL_INTERVAL_MS);
      }
    }
  }

  private visible(): boolean {
    return this.document.visibilityState === 'visible';
  }
}
