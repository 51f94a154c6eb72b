import type { ShopStore } from "./ports";
import type { StockKnowledge } from "./stock-knowledge";
import type { Product } from "./types";

export interface CatalogSnapshot {
  products: ReadonlyMap<string, Product>;
  /** When the read began (epoch ms): the snapshot is at least this fresh. */
  readAt: number;
}

/**
 * The container's view of the catalog and its stock, read at most once per `ttlMs` however many requests
 * arrive: one Query for the catalog and one BatchGetItem for the shards. So DynamoDB reads grow with
 * containers, not with shoppers, and no purchase reads a hot item.
 */
export class CatalogCache {
  private snapshot: CatalogSnapshot | undefined;
  private refreshing: Promise<CatalogSnapshot> | undefined;

  constructor(
    private readonly store: ShopStore,
    private readonly knowledge: StockKnowledge,
    private readonly clock: () => number,
    private readonly ttlMs = 1_000,
  ) {}

  async current(): Promise<CatalogSnapshot> {
    if (this.snapshot && this.clock() - this.snapshot.readAt < this.ttlMs) return this.snapshot;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<CatalogSnapshot> {
    const readAt = this.clock();
    const products = await this.store.readCatalog();
    // A product flagged sold out needs no shard reads until a merchandiser refills it (which clears the flag).
    const onSale = products.filter((product) => !product.soldOut);
    const units = await this.store.readShardUnits(onSale);
    for (const product of products) {
      const shards = product.soldOut ? new Array<number>(product.shardCount).fill(0) : (units.get(product.sku) ?? []);
      this.knowledge.applySnapshot(product.sku, shards, readAt);
    }
    this.snapshot = { products: new Map(products.map((product) => [product.sku, product])), readAt };
    return this.snapshot;
  }
}
