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
   * (stale-while-revalidate); past that it waits for the new read. Default `ttlMs`: at most 2 s old by default.
   */
  staleMs?: number;
  /**
   * Shards a refresh of the whole catalog reads, at most, beyond products never read or changed by a merchandiser:
   * the due live products' shards, the most overdue for their cadence first. Default 800 (8 BatchGetItem requests) a second.
   */
  shardBudget?: number;
  /** A product whose sale is not live has its shards re-read this often (60 s), or when its stock is changed. */
  idleMs?: number;
}

/** A sale counts as live from this long before its opening, and until this long after its end (holds aside). */
const LIVE_MARGIN_MS = 60_000;
const DEFAULT_SHARD_BUDGET = 800;
const DEFAULT_IDLE_MS = 60_000;
/** A live product whose stock did not move is re-read ever less often, up to this many TTLs apart (8 s). */
const MAX_QUIET_TTLS = 8;
/** The catalog's items are re-read every TTL up to this many products, and proportionally less often beyond. */
const PRODUCTS_PER_CATALOG_TTL = 200;

interface ShardRead {
  at: number;
  /** What a merchandiser changes when they change the stock: a different stamp means the shards must be read. */
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
 *   catalog's items (one Query, less often past 200 products) and shard reads only where stock can have moved:
 *   products never read or changed by a merchandiser (loadedUnits, shardCount or soldOut moved), live sales whose
 *   stock moved (every TTL) or stayed put (ever less often, up to 8 TTLs apart), the most overdue first within
 *   `shardBudget`; ended and future sales once a minute. Past the TTL the previous snapshot answers while the next
 *   is read, up to `staleMs` more (stale-while-revalidate, bounded).
 * - A purchase, a product page or a waiting room (`product(sku)`) reads only its product and that product's shards,
 *   at most once per `ttlMs`, and never waits for the whole catalog.
 */
export class CatalogCache {
  private snapshot: CatalogSnapshot | undefined;
  private refreshing: Promise<CatalogSnapshot> | undefined;
  /** The last Query of the catalog: its skus and when it began. */
  private catalogRead: { skus: string[]; at: number } | undefined;
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
    const products = await this.catalogProducts(readAt);
    await this.readShards(this.dueForShardRead(products, readAt), readAt);
    for (const product of products) if (product.soldOut) this.applySoldOut(product, readAt);
    this.snapshot = {
      products: new Map(products.map((product) => [product.sku, product])),
      ordered: [...products].sort(inSaleOrder),
      readAt,
    };
    return this.snapshot;
  }

  /**
   * The catalog's items: a Query every TTL for up to 200 products, every 5 TTLs for 1,000 (its cost grows with the
   * catalog, and items change only by a merchandiser's hand or a sell-out flag); in between, the items last read,
   * each replaced by its own fresher read where a purchase or a product page made one.
   */
  private async catalogProducts(now: number): Promise<Product[]> {
    const last = this.catalogRead;
    const every = this.ttlMs * Math.max(1, (last?.skus.length ?? 0) / PRODUCTS_PER_CATALOG_TTL);
    if (last && now - last.at < every)
      return last.skus.flatMap((sku) => {
        const known = this.products.get(sku);
        return known ? [known.product] : [];
      });
    const products = await this.store.readCatalog();
    for (const product of products) this.noteProduct(product, now);
    this.catalogRead = { skus: products.map((product) => product.sku), at: now };
    return products.map((product) => this.products.get(product.sku)?.product ?? product);
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
