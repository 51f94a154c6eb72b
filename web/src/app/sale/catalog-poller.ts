import { Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ApiError } from '../core/api-error';
import { injectPoller } from '../core/poller';
import { ShopApi } from '../core/shop-api';
import type { AvailabilityFeed, Order, Product } from '../core/shop-types';
import { Clock } from './clock';

/** How often a visible tab polls the public availability feed (cached at the edge for 1 s). */
export const POLL_INTERVAL_MS = 2_000;
/** A tab that regains focus re-reads the signed-in listing at most this often (focus comes in bursts). */
export const LISTING_MAX_AGE_ON_FOCUS_MS = 30_000;
/**
 * When the feed names a product the listing lacks (added to the sale; in AWS the two routes' containers read
 * their snapshots at different instants), the listing is re-read if it is at least this old.
 */
export const LISTING_MAX_AGE_ON_NEW_PRODUCT_MS = 5_000;
/**
 * How long the shopper's own purchase is shown on its product without the feed: longer than the feed can lag
 * behind it (its snapshot up to ~1 s old, then cached 1 s at the edge, polled every 2 s), short enough that units
 * coming back (a hold given up) show soon.
 */
export const OWN_PURCHASE_GRACE_MS = 10_000;

/**
 * The sale's products. The signed-in listing (names, prices, sale windows, units loaded) is read once, and
 * again when the tab regains focus (at most every 30 s) or a purchase is refused because the stock shown was
 * stale; in between, only the public availability feed is polled, every ~2 s while the tab is visible and not
 * at all while it is hidden. Every reply also sets the server clock. Provided per page, so leaving the page stops it.
 */
@Injectable()
export class CatalogPoller {
  private readonly api = inject(ShopApi);
  private readonly clock = inject(Clock);
  private readonly poller = injectPoller({ resume: () => this.onFocus(), resumeOnFocus: true });
  private listingRequest = 0;
  private feedRequest = 0;
  private listingLoadedAt = -Infinity;
  /** Per sku, the shopper's own purchase the feed may not show yet: at most `cap` units left, until `until`. */
  private readonly own = new Map<string, { cap: number; until: number }>();

  readonly products = signal<Product[]>([]);
  readonly loaded = signal(false);
  /** Set while the last read failed; the last known products stay on screen. */
  readonly problem = signal<string | undefined>(undefined);

  constructor() {
    this.api.staleViewRefusals.pipe(takeUntilDestroyed()).subscribe(() => void this.reload());
  }

  start(): void {
    this.poller.start();
    void this.reload();
  }

  /** Reads the signed-in listing now, then polls the feed from here. */
  async reload(): Promise<void> {
    if (!this.poller.started()) return;
    const mine = ++this.listingRequest;
    try {
      const { products, asOf } = await this.api.listProducts();
      if (mine !== this.listingRequest) return; // a newer read started meanwhile
      // asOf is when the snapshot was read: no later than now on the server, a lower bound for its clock.
      const received = performance.now();
      this.clock.observe(asOf, received, received);
      this.listingLoadedAt = received;
      this.products.set(this.withOwnPurchases(products));
      this.problem.set(undefined);
    } catch (error) {
      if (mine !== this.listingRequest) return;
      this.problem.set(error instanceof ApiError ? error.message : 'Could not load the sale.');
    } finally {
      if (mine === this.listingRequest) {
        this.loaded.set(true);
        this.schedule();
      }
    }
  }

  /** Polls the availability feed now (e.g. right after a purchase) and restarts the interval from here. */
  async refresh(): Promise<void> {
    this.poller.cancel();
    if (!this.poller.active()) return;
    const mine = ++this.feedRequest;
    try {
      const sent = performance.now();
      const feed = await this.api.availability();
      if (mine !== this.feedRequest) return;
      this.clock.observe(feed.serverTime, sent, performance.now());
      this.apply(feed);
      this.problem.set(undefined);
    } catch (error) {
      if (mine !== this.feedRequest) return;
      this.problem.set(error instanceof ApiError ? error.message : 'Could not refresh the sale.');
    } finally {
      if (mine === this.feedRequest) this.schedule();
    }
  }

  /**
   * A purchase this shopper just made, shown on its product at once: the feed read right after it may still
   * be the count from before (it lags up to a few seconds). The count shown is capped at what was shown less
   * the units bought, until the feed shows as few (then the feed alone counts, so the purchase is never taken
   * off twice) or the grace period ends.
   */
  reflect(order: Pick<Order, 'sku' | 'quantity'>): void {
    const product = this.products().find((known) => known.sku === order.sku);
    if (!product) return;
    this.own.set(order.sku, {
      cap: Math.max(0, product.available - order.quantity),
      until: performance.now() + OWN_PURCHASE_GRACE_MS,
    });
    this.products.set(this.withOwnPurchases(this.products()));
  }

  private withOwnPurchases(products: Product[]): Product[] {
    if (this.own.size === 0) return products;
    const now = performance.now();
    return products.map((product) => {
      const own = this.own.get(product.sku);
      if (own && product.available > own.cap && now < own.until) return { ...product, available: own.cap };
      this.own.delete(product.sku);
      return product;
    });
  }

  private apply(feed: AvailabilityFeed): void {
    const stock = new Map(feed.products.map((entry) => [entry.sku, entry]));
    const known = this.products();
    // A product the listing has not shown yet was added to the sale: its name and price come with the listing.
    if (feed.products.some((entry) => !known.some((product) => product.sku === entry.sku)))
      this.reloadIfOlderThan(LISTING_MAX_AGE_ON_NEW_PRODUCT_MS);
    this.products.set(
      this.withOwnPurchases(
        known.map((product) => {
          const now = stock.get(product.sku);
          return now && (now.available !== product.available || now.soldOut !== product.soldOut)
            ? { ...product, available: now.available, soldOut: now.soldOut }
            : product;
        }),
      ),
    );
  }

  private onFocus(): void {
    if (!this.reloadIfOlderThan(LISTING_MAX_AGE_ON_FOCUS_MS)) void this.refresh();
  }

  private reloadIfOlderThan(maxAgeMs: number): boolean {
    if (performance.now() - this.listingLoadedAt < maxAgeMs) return false;
    void this.reload();
    return true;
  }

  private schedule(): void {
    this.poller.after(POLL_INTERVAL_MS, () => void this.refresh());
  }
}
