import type { ShopStore } from "./ports";
import type { StockKnowledge } from "./stock-knowledge";
import type { Product } from "./types";

export interface CatalogSnapshot {
  products: ReadonlyMap<string, Product>;
  /** When the catalog read began (epoch ms): the product items are at least this fresh. */
  readAt: number;
}

export interface CatalogCacheOptions {
  /** A snapshot (or one product's read) serves this long before the next read (~1 s). */
  ttlMs: number;
  /**
   * Past `ttlMs` and up to `ttlMs + staleMs`, a request is answered from the previous read while a new one runs
   * (stale-while-revalidate); past that it waits for the new read. Default `ttlMs`: at most 2 s old by default.
   */
  staleMs?: number;
  /**
   * Shards a refresh of the whole catalog reads, at most, beyond products never read or changed by a merchandiser:
   * the live products' shards least recently read first. 1,600 (16 BatchGetItem requests) a second: a catalog of
   * up to 100 live 16-shard products is re-read every second; 1,000 such products every 10 s.
   */
  shardBudget?: number;
  /** A product whose sale is not live has its shards re-read this often (60 s), or when its stock is changed. */
  idleMs?: number;
}

/** A sale counts as live from this long before its opening, and until this long after its end (holds aside). */
const LIVE_MARGIN_MS = 60_000;
export const DEFAULT_SHARD_BUDGET = 1_600;
const DEFAULT_IDLE_MS = 60_000;

interface ShardRead {
  at: number;
  /** What a merchandiser changes when they change the stock: a different stamp means the shards must be read. */
  stamp: string;
}

interface ProductRead {
  product: Product;
  at: number;
}

/**
 * The container's view of the catalog and its stock. Reads grow with containers, not with shoppers, and no
 * longer with the catalog on a request's path:
 *
 * - The listing and the feed (`current()`) come from one snapshot: one Query of the catalog at most once per
 *   `ttlMs`, and shard reads only where they can have changed: live sales (least recently read first, within
 *   `shardBudget`), products never read, and products whose stock a merchandiser changed (loadedUnits,
 *   shardCount or soldOut moved). Ended and future sales are re-read once a minute. Once a snapshot exists,
 *   requests are answered from it while the next one is read (bounded staleness, `staleMs`).
 * - A purchase or a product page (`product(sku)`) reads only its product and that product's shards, at most
 *   once per `ttlMs`, and never waits for the whole catalog.
 */
export class CatalogCache {
  private snapshot: CatalogSnapshot | undefined;
  private refreshing: Promise<CatalogSnapshot> | undefined;
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
    this.staleMs = options.staleMs ?? options.ttlMs;
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
    const products = await this.store.readCatalog();
    await this.readShards(this.dueForShardRead(products, readAt), readAt);
    for (const product of products) {
      this.noteProduct(product, readAt);
      if (product.soldOut) this.applySoldOut(product, readAt);
    }
    this.snapshot = { products: new Map(products.map((product) => [product.sku, product])), readAt };
    return this.snapshot;
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
   * sales due (older than the TTL) and idle ones due (older than `idleMs`), least recently read first, within the
   * shard budget. A product flagged sold out needs no shard reads until a merchandiser refills it.
   */
  private dueForShardRead(products: readonly Product[], now: number): Product[] {
    const must: Product[] = [];
    const due: { product: Product; at: number }[] = [];
    for (const product of products) {
      if (product.soldOut) continue;
      const last = this.shardReads.get(product.sku);
      if (!last || last.stamp !== stampOf(product)) must.push(product);
      else if (now - last.at >= (isLive(product, now) ? this.ttlMs : this.idleMs)) due.push({ product, at: last.at });
    }
    let budget = this.shardBudget;
    const chosen = [...must];
    for (const { product } of due.sort((a, b) => a.at - b.at)) {
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
      if ((this.shardReads.get(product.sku)?.at ?? -Infinity) > readAt) continue;
      this.knowledge.applySnapshot(product.sku, units.get(product.sku) ?? [], readAt);
      this.shardReads.set(product.sku, { at: readAt, stamp: stampOf(product) });
    }
  }

  private applySoldOut(product: Product, readAt: number): void {
    const last = this.shardReads.get(product.sku);
    if (last && (last.stamp === stampOf(product) || last.at > readAt)) return;
    this.knowledge.applySnapshot(product.sku, new Array<number>(product.shardCount).fill(0), readAt);
    this.shardReads.set(product.sku, { at: readAt, stamp: stampOf(product) });
  }

  private noteProduct(product: Product, readAt: number): void {
    const known = this.products.get(product.sku);
    if (!known || known.at <= readAt) this.products.set(product.sku, { product, at: readAt });
  }
}

function stampOf(product: Product): string {
  return `${product.loadedUnits}/${product.shardCount}/${product.soldOut}`;
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
