import type { ShopStore } from "./ports";
import type { StockKnowledge } from "./stock-knowledge";
import type { Product } from "./types";

export interface CatalogSnapshot {
  products: ReadonlyMap<string, Product>;
  /** The same products in sale order (opening, then sku), sorted once per snapshot rather than per request. */
  ordered: readonly Product[];
  /** When this refresh began (epoch ms): the live stock it read is at least this fresh (see CatalogCache). */
  readAt: number;
}

export interface CatalogCacheOptions {
  /** A snapshot (or one product's read) serves this long before the next read (~1 s). */
  ttlMs: number;
  /**
   * Past `ttlMs` and up to `ttlMs + staleMs`, a request is answered from the previous read while a new one runs
   * (stale-while-revalidate), so a slow or stalled engine does not hold requests up; past that it waits for the new
   * read (and an engine that stays down gives 503, not old data). Default 4 TTLs: never more than 5 s old.
   */
  staleMs?: number;
  /**
   * Shards a refresh of the whole catalog reads, at most, beyond products never read or changed by a merchandiser:
   * the due live products' shards, the most overdue for their cadence first. Default 320 (4 BatchGetItem requests):
   * 20 live 16-shard products re-read every second; past that, staleness grows instead of reads (README).
   */
  shardBudget?: number;
  /** A product whose sale is not live has its shards re-read this often (60 s), or when its stock is changed. */
  idleMs?: number;
}

/** A sale counts as live from this long before its opening, and until this long after its end (holds aside). */
const LIVE_MARGIN_MS = 60_000;
const DEFAULT_SHARD_BUDGET = 320;
const DEFAULT_IDLE_MS = 60_000;
/** A live product whose stock did not move is re-read ever less often, up to this many TTLs apart (8 s). */
const MAX_QUIET_TTLS = 8;
/** Catalog items a refresh reads: the whole catalog every TTL up to this many products, a page of it beyond. */
const CATALOG_PAGE = 100;

interface ShardRead {
  at: number;
  /**
   * What changes with the stock besides purchases (a merchandiser's add or reshard, a sell-out flag, an ended
   * hold's units back): a different stamp means the shards must be read.
   */
  stamp: string;
  /** The units read, to tell a product whose stock moves from a quiet one. */
  units: string;
  /** How long after `at` a live sale's shards are due again: the TTL while they move, doubling while quiet. */
  interval: number;
}

interface ProductRead {
  product: Product;
  at: number;
}

/**
 * The container's view of the catalog and its stock. Reads grow with containers and with the products that sell,
 * not with shoppers, and a request never waits for a read of the whole catalog once the container has one:
 *
 * - The listing and the feed (`current()`) come from one snapshot, refreshed at most once per `ttlMs`: the
 *   catalog's items (a Query page of 100 products, the next page each time) and shard reads only where stock can
 *   have moved: products never read or whose item says the stock changed (loadedUnits, shardCount, soldOut or
 *   returnedUnits), live sales whose stock moved (every TTL) or stayed put (ever less often, up to 8 TTLs apart),
 *   the most overdue first within `shardBudget`; ended and future sales once a minute. Past the TTL the previous snapshot answers while
 *   the next is read, up to `staleMs` more (stale-while-revalidate, bounded).
 * - A purchase, a product page or a waiting room (`product(sku)`) reads only its product and that product's shards,
 *   at most once per `ttlMs`, and never waits for the whole catalog.
 */
export class CatalogCache {
  private snapshot: CatalogSnapshot | undefined;
  private refreshing: Promise<CatalogSnapshot> | undefined;
  /** The catalog's skus in key order, once read in full; then a page is re-read per refresh, from `cursor` on. */
  private catalogSkus: string[] | undefined;
  private cursor: string | undefined;
  /** The sale order of the last snapshot and what it was sorted from, so an unchanged catalog is not sorted again. */
  private order: { of: string; skus: string[] } | undefined;
  private readonly products = new Map<string, ProductRead>();
  private readonly productRefreshes = new Map<string, Promise<Product | undefined>>();
  private readonly shardReads = new Map<string, ShardRead>();
  private readonly ttlMs: number;
  private readonly staleMs: number;
  private readonly shardBudget: number;
  private readonly idleMs: number;

  constructor(
    private readonly store: ShopStore,
    private readonly knowledge: StockKnowledge,
    private readonly clock: () => number,
    options: CatalogCacheOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.staleMs = options.staleMs ?? 4 * options.ttlMs;
    this.shardBudget = options.shardBudget ?? DEFAULT_SHARD_BUDGET;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** The whole catalog with its stock in the knowledge: for the listing, the feed and the sweeps. */
  current(): Promise<CatalogSnapshot> {
    const age = this.snapshot ? this.clock() - this.snapshot.readAt : Infinity;
    if (age < this.ttlMs) return Promise.resolve(this.snapshot!);
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.served(this.refreshing, age, this.snapshot);
  }

  /**
   * One product, its shards in the knowledge, read at most once per `ttlMs`: from the catalog snapshot when that
   * is fresh, else by reading the product and its shards alone. Undefined when no such product exists.
   */
  product(sku: string): Promise<Product | undefined> {
    const now = this.clock();
    const known = this.products.get(sku);
    const shardsAt = known?.product.soldOut ? known.at : (this.shardReads.get(sku)?.at ?? -Infinity);
    const age = known ? now - Math.min(known.at, shardsAt) : Infinity;
    if (age < this.ttlMs) return Promise.resolve(known!.product);
    // A fresh snapshot without it: no such product (so unknown skus cost no read).
    if (!known && this.snapshot && now - this.snapshot.readAt < this.ttlMs) return Promise.resolve(undefined);
    let refreshing = this.productRefreshes.get(sku);
    if (!refreshing) {
      refreshing = this.refreshProduct(sku).finally(() => this.productRefreshes.delete(sku));
      this.productRefreshes.set(sku, refreshing);
    }
    return this.served(refreshing, age, known?.product);
  }

  /** Resolves once no read this cache started is still under way (for tests and benches that count reads). */
  async settled(): Promise<void> {
    while (this.refreshing || this.productRefreshes.size > 0)
      await Promise.allSettled([this.refreshing, ...this.productRefreshes.values()]);
  }

  /** Within the stale window: the previous answer now, the read going on in the background; past it: the read. */
  private served<T>(reading: Promise<T>, age: number, previous: T | undefined): Promise<T> {
    if (previous === undefined || age >= this.ttlMs + this.staleMs) return reading;
    // A failed background read keeps the previous answer; the next request past the TTL tries again.
    reading.catch(() => {});
    return Promise.resolve(previous);
  }

  private async refresh(): Promise<CatalogSnapshot> {
    const readAt = this.clock();
    const products = await this.catalogProducts(readAt);
    await this.readShards(this.dueForShardRead(products, readAt), readAt);
    for (const product of products) if (product.soldOut) this.applySoldOut(product, readAt);
    this.snapshot = {
      products: new Map(products.map((product) => [product.sku, product])),
      ordered: this.inSaleOrder(products),
      readAt,
    };
    return this.snapshot;
  }

  /**
   * The catalog's items: read in full (page after page) once; then one page of 100 per refresh, the next each time
   * round, so a catalog of up to 100 products is re-read every TTL and one of 1,000 every 10 TTLs, at a steady cost
   * per second rather than a burst (items change only by a merchandiser's hand or a sell-out flag). Each item is
   * replaced by its own fresher read where a purchase or a product page made one.
   */
  private async catalogProducts(now: number): Promise<Product[]> {
    if (!this.catalogSkus) {
      const skus: string[] = [];
      for (let after: string | undefined, more = true; more; ) {
        const page = await this.store.readCatalogPage(after, CATALOG_PAGE);
        for (const product of page.products) this.noteProduct(product, now);
        skus.push(...page.products.map((product) => product.sku));
        after = page.products.at(-1)?.sku;
        more = page.more && after !== undefined;
      }
      this.catalogSkus = skus;
    } else {
      const from = this.cursor;
      const page = await this.store.readCatalogPage(from, CATALOG_PAGE);
      const to = page.more ? page.products.at(-1)?.sku : undefined;
      const read = new Set(page.products.map((product) => product.sku));
      const kept = this.catalogSkus.filter((sku) => {
        const covered = (from === undefined || sku > from) && (to === undefined || sku <= to);
        if (covered && !read.has(sku)) this.products.delete(sku); // taken out of the catalog
        return !covered || read.has(sku);
      });
      for (const product of page.products) this.noteProduct(product, now);
      this.catalogSkus = [...new Set([...kept, ...read])].sort();
      this.cursor = to;
    }
    return this.catalogSkus.flatMap((sku) => {
      const known = this.products.get(sku);
      return known ? [known.product] : [];
    });
  }

  private inSaleOrder(products: readonly Product[]): Product[] {
    const of = products.map((product) => `${product.saleStartsAt} ${product.sku}`).join("\n");
    if (this.order?.of !== of) this.order = { of, skus: [...products].sort(inSaleOrder).map((p) => p.sku) };
    const bySku = new Map(products.map((product) => [product.sku, product]));
    return this.order.skus.flatMap((sku) => bySku.get(sku) ?? []);
  }

  private async refreshProduct(sku: string): Promise<Product | undefined> {
    const readAt = this.clock();
    const product = await this.store.readProduct(sku);
    if (!product) {
      this.products.delete(sku);
      return undefined;
    }
    if (product.soldOut) this.applySoldOut(product, readAt);
    else await this.readShards([product], readAt);
    this.noteProduct(product, readAt);
    return product;
  }

  /**
   * The products whose shards this refresh reads: never read or changed by a merchandiser (always), then live
   * sales due (read longer ago than their interval: the TTL while their stock moves, doubling while it stays put)
   * and the others due (older than `idleMs`), the most overdue for their interval first, within the shard budget. A product
   * flagged sold out needs no shard reads until a merchandiser refills it.
   */
  private dueForShardRead(products: readonly Product[], now: number): Product[] {
    const must: Product[] = [];
    const due: { product: Product; overdue: number }[] = [];
    for (const product of products) {
      if (product.soldOut) continue;
      const last = this.shardReads.get(product.sku);
      if (!last || last.stamp !== stampOf(product)) {
        must.push(product);
        continue;
      }
      const overdue = (now - last.at) / (isLive(product, now) ? last.interval : this.idleMs);
      if (overdue >= 1) due.push({ product, overdue });
    }
    // Most overdue for its own cadence first: past the budget, every product waits the same multiple of its interval.
    let budget = this.shardBudget;
    const chosen = [...must];
    for (const { product } of due.sort((a, b) => b.overdue - a.overdue)) {
      if (product.shardCount > budget) break;
      budget -= product.shardCount;
      chosen.push(product);
    }
    return chosen;
  }

  /** Reads the shards and tells the knowledge, unless a read that began later already did. */
  private async readShards(products: readonly Product[], readAt: number): Promise<void> {
    if (products.length === 0) return;
    const units = await this.store.readShardUnits(products);
    for (const product of products) {
      const last = this.shardReads.get(product.sku);
      if ((last?.at ?? -Infinity) > readAt) continue;
      const read = units.get(product.sku) ?? [];
      this.knowledge.applySnapshot(product.sku, read, readAt);
      const moved = !last || last.units !== read.join(",");
      this.shardReads.set(product.sku, {
        at: readAt,
        stamp: stampOf(product),
        units: read.join(","),
        interval: moved ? this.ttlMs : Math.min(this.ttlMs * MAX_QUIET_TTLS, last.interval * 2),
      });
    }
  }

  private applySoldOut(product: Product, readAt: number): void {
    const last = this.shardReads.get(product.sku);
    if (last && (last.stamp === stampOf(product) || last.at > readAt)) return;
    const zeros = new Array<number>(product.shardCount).fill(0);
    this.knowledge.applySnapshot(product.sku, zeros, readAt);
    this.shardReads.set(product.sku, {
      at: readAt,
      stamp: stampOf(product),
      units: zeros.join(","),
      interval: this.ttlMs,
    });
  }

  private noteProduct(product: Product, readAt: number): void {
    const known = this.products.get(product.sku);
    if (!known || known.at <= readAt) this.products.set(product.sku, { product, at: readAt });
  }
}

function inSaleOrder(a: Product, b: Product): number {
  return a.saleStartsAt.localeCompare(b.saleStartsAt) || a.sku.localeCompare(b.sku);
}

function stampOf(product: Product): string {
  return `${product.loadedUnits}/${product.shardCount}/${product.soldOut}/${product.returnedUnits ?? 0}`;
}

/**
 * Open now, about to open, or just ended; a payment product's holds can still come back for `holdSeconds` after
 * its end, and the feed shows them.
 */
function isLive(product: Product, now: number): boolean {
  const holds = product.checkout === "payment" ? product.holdSeconds * 1_000 : 0;
  return (
    now >= Date.parse(product.saleStartsAt) - LIVE_MARGIN_MS &&
    now < Date.parse(product.saleEndsAt) + holds + LIVE_MARGIN_MS
  );
}
