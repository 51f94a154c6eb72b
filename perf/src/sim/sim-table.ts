import {
  type PurchaseWrite,
  type PurchaseWriteOutcome,
  type ShopStore,
  type SoldOutCheck,
  StoreUnavailableError,
} from "@flash-sale/services/domain";
import type { Order, Product } from "@flash-sale/services/contract";
import type { DynamoRules } from "./rules";
import { TokenBucket } from "./token-bucket";
import type { VirtualTime } from "./virtual-time";

/** What the table did, for the report. */
export interface TableStats {
  transactions: number;
  confirmed: number;
  /** Cancelled because another transaction held one of its items (TransactionConflict). */
  conflicts: number;
  /** Refused for lack of capacity (a partition's or the table's): not charged. */
  throttled: number;
  /** Cancelled by a failed condition (a short shard, an existing order, the limit). */
  conditionFailed: number;
  /** Write units charged by purchase transactions, cancelled ones included. */
  purchaseWriteUnits: number;
  writeUnits: number;
  readUnits: number;
  readsThrottled: number;
  /** When the last purchase so far was confirmed (virtual ms). */
  lastConfirmedAt: number;
}

const ORDER_PREFIX = "order";
/** On-demand may throttle above double the peak of the last 30 minutes: only traffic older than that raises the ceiling. */
const ON_DEMAND_SETTLE_SECONDS = 1_800;
const CATALOG_PARTITION = "CATALOG";

/**
 * An in-memory DynamoDB table holding what a sale touches (catalog, stock shards, orders, per-customer
 * counts), behind the same port the DynamoDB adapter implements (ShopStore), answering in virtual time
 * under the rules in rules.ts. Hot keys (each stock shard, the catalog) have their own partition budgets;
 * orders and counts live under each shopper's own key, spread over many partitions, so only the table's
 * budget applies to them.
 */
export class SimTable implements ShopStore {
  readonly stats: TableStats = {
    transactions: 0,
    confirmed: 0,
    conflicts: 0,
    throttled: 0,
    conditionFailed: 0,
    purchaseWriteUnits: 0,
    writeUnits: 0,
    readUnits: 0,
    readsThrottled: 0,
    lastConfirmedAt: 0,
  };
  private readonly products = new Map<string, Product>();
  private readonly shards = new Map<string, number[]>();
  private readonly orders = new Map<string, { shopper: string; order: Order }>();
  private readonly counts = new Map<string, number>();
  /** Until when (virtual ms) an item is held by a transaction under way. */
  private readonly lockedUntil = new Map<string, number>();
  private readonly partitions = new Map<string, { write: TokenBucket; read: TokenBucket }>();
  private readonly tableWrite: TokenBucket;
  private readonly tableRead: TokenBucket;
  /** Write units consumed in each whole second, for on-demand's "double the previous peak" rule. */
  private readonly perSecond: number[] = [];
  private tableWriteRate: number;
  /** Local mode: when the one engine is free again. */
  private engineFreeAt = 0;

  constructor(
    private readonly time: VirtualTime,
    readonly rules: DynamoRules,
  ) {
    this.tableWriteRate = rules.tableWriteUnits;
    this.tableWrite = new TokenBucket(rules.tableWriteUnits, rules.tableWriteUnits);
    this.tableRead = new TokenBucket(rules.tableReadUnits, rules.tableReadUnits);
  }

  load(product: Product, units: number[]): void {
    this.products.set(product.sku, { ...product });
    this.shards.set(product.sku, [...units]);
  }

  unitsLeft(sku: string): number[] {
    return [...(this.shards.get(sku) ?? [])];
  }

  /** Confirmed orders of `sku` and the units they bought. */
  sold(sku: string): { orders: number; units: number } {
    let orders = 0;
    let units = 0;
    for (const { order } of this.orders.values())
      if (order.sku === sku) {
        orders++;
        units += order.quantity;
      }
    return { orders, units };
  }

  isFlaggedSoldOut(sku: string): boolean {
    return this.products.get(sku)?.soldOut ?? false;
  }

  async readCatalogPage(afterSku: string | undefined, limit: number): Promise<{ products: Product[]; more: boolean }> {
    this.read(CATALOG_PARTITION, 1);
    const all = [...this.products.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const after = afterSku === undefined ? all : all.filter((product) => product.sku > afterSku);
    const page = after.slice(0, limit).map((product) => ({ ...product }));
    return this.answer("read", { products: page, more: after.length > limit });
  }

  async readProduct(sku: string): Promise<Product | undefined> {
    this.read(CATALOG_PARTITION, 1);
    const product = this.products.get(sku);
    return this.answer("read", product && { ...product });
  }

  /** The simulator models AWS's 100 items per transaction: the order, the count and a hold take 3 of them. */
  maxTakes(): number {
    return 97;
  }

  async readShardUnits(products: ReadonlyArray<Pick<Product, "sku" | "shardCount">>): Promise<Map<string, number[]>> {
    const units = new Map<string, number[]>();
    for (const { sku, shardCount } of products) {
      for (let shard = 0; shard < shardCount; shard++) this.read(shardKey(sku, shard), 1);
      units.set(sku, (this.shards.get(sku) ?? []).slice(0, shardCount));
    }
    return this.answer("read", units);
  }

  async getOrder(shopper: string, orderId: string): Promise<Order | undefined> {
    this.read(undefined, 1);
    const found = this.orders.get(`${ORDER_PREFIX}|${shopper}|${orderId}`);
    return this.answer("read", found && { ...found.order });
  }

  listOrders(): Promise<Order[]> {
    return Promise.reject(new Error("the simulator's shoppers never list their orders"));
  }

  async markSoldOut(product: Pick<Product, "sku">): Promise<SoldOutCheck> {
    // A consistent read of the product and every shard, then one conditional update of the catalog item.
    const stored = this.products.get(product.sku);
    const shardCount = stored?.shardCount ?? 0;
    this.read(CATALOG_PARTITION, 1);
    for (let shard = 0; shard < shardCount; shard++) this.read(shardKey(product.sku, shard), 1);
    this.chargeWrite(CATALOG_PARTITION, 1);
    const units = (this.shards.get(product.sku) ?? []).slice(0, shardCount);
    const empty = units.every((left) => left === 0);
    if (empty && stored) stored.soldOut = true;
    return this.answer("read", empty ? { soldOut: true } : { soldOut: false, units });
  }

  async writePurchase(write: PurchaseWrite): Promise<PurchaseWriteOutcome> {
    const { order, shopper, takes } = write;
    const now = this.time.now;
    const shardKeys = takes.map((take) => shardKey(order.sku, take.shard));
    const orderKey = `${ORDER_PREFIX}|${shopper}|${order.orderId}`;
    const countKey = `count|${shopper}|${order.sku}`;
    const items = [...shardKeys, orderKey, countKey, ...(order.holdExpiresAt ? [`hold|${order.orderId}`] : [])];
    const unitsPerItem = this.rules.writeUnitsPerTransactionalItem;
    const writeUnits = items.length * unitsPerItem;
    this.stats.transactions++;
    const cancelled = (over: Partial<Extract<PurchaseWriteOutcome, { kind: "cancelled" }>>): PurchaseWriteOutcome => ({
      kind: "cancelled",
      orderExists: false,
      limitReached: false,
      shortShards: [],
      busyShards: [],
      throttled: false,
      ...over,
    });

    if (this.rules.mode === "aws") {
      // Capacity first: a throttled request consumes nothing.
      const overShards = takes.filter((_, i) => !this.partition(shardKeys[i]!).write.holds(now, unitsPerItem));
      if (overShards.length > 0 || !this.tableWrite.holds(now, writeUnits)) {
        this.stats.throttled++;
        const busy = overShards.length > 0 ? overShards : takes;
        return this.answer("transact", cancelled({ busyShards: busy.map((take) => take.shard), throttled: true }));
      }
      for (const key of shardKeys) this.partition(key).write.take(now, unitsPerItem);
      this.chargeTable(writeUnits);
      this.stats.purchaseWriteUnits += writeUnits;
      // Another transaction holding one of these items cancels this one (charged all the same).
      const conflicting = items.filter((key) => (this.lockedUntil.get(key) ?? -1) > now);
      if (conflicting.length > 0) {
        this.stats.conflicts++;
        const busy = takes.filter((_, i) => conflicting.includes(shardKeys[i]!)).map((take) => take.shard);
        return this.answer("transact", cancelled({ busyShards: busy.length > 0 ? busy : takes.map((t) => t.shard) }));
      }
      for (const key of items) this.lockedUntil.set(key, now + this.rules.conflictWindowMs);
    } else {
      this.chargeTable(writeUnits);
      this.stats.purchaseWriteUnits += writeUnits;
    }

    const units = this.shards.get(order.sku) ?? [];
    const shortShards = takes.filter((take) => (units[take.shard] ?? 0) < take.units).map((take) => take.shard);
    const orderExists = this.orders.has(orderKey);
    const limitReached = (this.counts.get(countKey) ?? 0) + order.quantity > write.perCustomerLimit;
    if (shortShards.length > 0 || orderExists || limitReached) {
      this.stats.conditionFailed++;
      return this.answer("transact", cancelled({ shortShards, orderExists, limitReached }));
    }
    for (const take of takes) units[take.shard]! -= take.units;
    this.orders.set(orderKey, { shopper, order: { ...order } });
    this.counts.set(countKey, (this.counts.get(countKey) ?? 0) + order.quantity);
    this.stats.confirmed++;
    this.stats.lastConfirmedAt = now;
    return this.answer("transact", { kind: "confirmed" });
  }

  /** The answer reaches the caller after the operation's latency (local: after the engine's queue too). */
  private answer<T>(kind: "transact" | "read", value: T): Promise<T> {
    const now = this.time.now;
    const local = this.rules.localServiceMs;
    if (this.rules.mode === "local" && local) {
      const start = Math.max(now, this.engineFreeAt);
      this.engineFreeAt = start + local[kind];
      return this.time.resolveAt(this.engineFreeAt, value);
    }
    return this.time.resolveAt(now + (kind === "transact" ? this.rules.transactMs : this.rules.readMs), value);
  }

  /** A read of `units` RCU on a hot partition (or none: a shopper's own key); throttled reads fail the call. */
  private read(partitionKey: string | undefined, units: number): void {
    const now = this.time.now;
    if (this.rules.mode === "aws") {
      const partition = partitionKey === undefined ? undefined : this.partition(partitionKey).read;
      if ((partition && !partition.holds(now, units)) || !this.tableRead.holds(now, units)) {
        this.stats.readsThrottled++;
        throw new StoreUnavailableError(`read throttled on ${partitionKey ?? "the table"}`);
      }
      partition?.take(now, units);
      this.tableRead.take(now, units);
    }
    this.stats.readUnits += units;
  }

  private chargeWrite(partitionKey: string, units: number): void {
    if (this.rules.mode === "aws") this.partition(partitionKey).write.charge(this.time.now, units);
    this.chargeTable(units);
  }

  private chargeTable(units: number): void {
    this.stats.writeUnits += units;
    if (this.rules.mode !== "aws") return;
    this.tableWrite.charge(this.time.now, units);
    const second = Math.floor(this.time.now / 1_000);
    this.perSecond[second] = (this.perSecond[second] ?? 0) + units;
    // On-demand: up to double the peak of traffic that is at least 30 minutes old.
    const settled = this.perSecond[second - ON_DEMAND_SETTLE_SECONDS] ?? 0;
    if (2 * settled > this.tableWriteRate) {
      this.tableWriteRate = 2 * settled;
      this.tableWrite.setRate(this.tableWriteRate);
    }
  }

  private partition(key: string): { write: TokenBucket; read: TokenBucket } {
    let partition = this.partitions.get(key);
    if (!partition) {
      const { partitionWriteUnits: w, partitionReadUnits: r } = this.rules;
      partition = { write: new TokenBucket(w, w), read: new TokenBucket(r, r) };
      this.partitions.set(key, partition);
    }
    return partition;
  }
}

const shardKey = (sku: string, shard: number) => `STOCK#${sku}#${shard}`;
