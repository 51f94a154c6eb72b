import { randomUUID } from "node:crypto";
import { AdmissionTokens } from "./admission-tokens";
import { CatalogCache } from "./catalog";
import { type CancelResult, type EventOutcome, HoldLifecycle, type SweepResult } from "./holds";
import { type PaymentProvider, PaymentProviderUnavailableError } from "./payments";
import { type OrderLifecycleStore, type ShopStore, StoreUnavailableError } from "./ports";
import { purchase, type PurchaseDeps } from "./purchase";
import { StockKnowledge } from "./stock-knowledge";
import type {
  AvailabilityFeed,
  Order,
  Product,
  ProductAvailability,
  ProductView,
  PurchaseRequest,
  PurchaseResult,
} from "./types";
import { DEFAULT_PASS_TTL_MS, WaitingRoom, type AdmissionResult, type AdmissionStore } from "./waiting-room";

export interface ShopOptions {
  clock?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long a catalog/stock snapshot serves before the next read (~1 s); see CatalogCache for staleness. */
  snapshotTtlMs?: number;
  /** Shards a refresh of the whole catalog reads at most, beyond new or changed products (CatalogCache). */
  snapshotShardBudget?: number;
  maxAttempts?: number;
  /** No purchase attempt starts after this long; see PurchaseDeps. */
  attemptBudgetMs?: number;
  newRequestId?: () => string;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** The waiting room's storage and secret (ADMISSION_KEY); without it, waiting-room products cannot be bought. */
  admission?: { store: AdmissionStore; key: Buffer; passTtlMs?: number };
  /** Holds and payments (holds.ts); without them, `payment` products cannot be bought. */
  payments?: {
    store: OrderLifecycleStore;
    /** Absent in containers that never call the provider (the expiry sweep, cancels). */
    provider?: PaymentProvider;
    /** The storefront's page of one order: where the payment page returns the shopper. */
    orderPageUrl?: (orderId: string) => string;
  };
}

/** A provider's webhook as it arrived: the raw body (its signature covers the exact bytes) and the signature header. */
export interface PaymentWebhook {
  rawBody: string;
  signature: string | undefined;
}

export interface ProductListing {
  products: ProductView[];
  asOf: string;
}

/** The shop as shoppers see it: listing, buying, their orders. One instance per container. */
export class Shop {
  private readonly knowledge = new StockKnowledge();
  private readonly catalog: CatalogCache;
  private readonly deps: PurchaseDeps;
  private readonly clock: () => number;
  private readonly waitingRoom: WaitingRoom;
  private readonly holds: HoldLifecycle | undefined;

  constructor(
    private readonly store: ShopStore,
    options: ShopOptions = {},
  ) {
    const clock = options.clock ?? Date.now;
    this.clock = clock;
    this.catalog = new CatalogCache(store, this.knowledge, clock, {
      ttlMs: options.snapshotTtlMs ?? 1_000,
      ...(options.snapshotShardBudget === undefined ? {} : { shardBudget: options.snapshotShardBudget }),
    });
    this.deps = {
      store,
      catalog: this.catalog,
      knowledge: this.knowledge,
      clock,
      random: options.random ?? Math.random,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      newRequestId: options.newRequestId ?? randomUUID,
      maxAttempts: options.maxAttempts ?? 8,
      attemptBudgetMs: options.attemptBudgetMs ?? 1_500,
      backoffBaseMs: options.backoffBaseMs ?? 10,
      backoffCapMs: options.backoffCapMs ?? 200,
      canHold: options.payments !== undefined,
    };
    const { admission, payments } = options;
    this.holds = payments
      ? new HoldLifecycle({
          ...payments,
          catalog: this.catalog,
          knowledge: this.knowledge,
          clock,
          random: this.deps.random,
        })
      : undefined;
    this.waitingRoom = new WaitingRoom({
      catalog: this.catalog,
      knowledge: this.knowledge,
      clock,
      random: this.deps.random,
      sleep: this.deps.sleep,
      countsTtlMs: options.snapshotTtlMs ?? 1_000,
      ...(admission
        ? {
            admission: {
              store: admission.store,
              tokens: new AdmissionTokens(admission.key),
              passTtlMs: admission.passTtlMs ?? DEFAULT_PASS_TTL_MS,
            },
          }
        : {}),
    });
  }

  /** A waiting-room product is bought only with a valid pass, checked in memory before any DynamoDB call. */
  async purchase(request: PurchaseRequest): Promise<PurchaseResult> {
    const refusal = await this.waitingRoom.refusal(request);
    if (refusal) return refusal;
    const result = await purchase(this.deps, request);
    if (!result.ok || result.order.status !== "PENDING_PAYMENT" || !this.holds) return result;
    const product = await this.catalog.product(request.sku);
    if (!product) return result;
    try {
      return { ...result, order: await this.holds.ensureCheckout(request.shopper, result.order, product) };
    } catch (error) {
      if (error instanceof StoreUnavailableError && !(error instanceof PaymentProviderUnavailableError)) throw error;
      // The units are held and the order kept: a retry with the same key makes the payment page again; left
      // alone, the hold runs out and the units go back.
      return {
        ok: false,
        code: "TRY_AGAIN",
        message: "The payment provider is not answering right now; retry with the same idempotencyKey.",
        details: { retryAfterSeconds: 1, cause: "payment-provider" },
      };
    }
  }

  /** The shopper gives up a held order before paying: its units go back. */
  cancelOrder(shopper: string, orderId: string): Promise<CancelResult> {
    return this.requireHolds().cancel(shopper, orderId);
  }

  /** Applies a provider webhook after verifying its signature (InvalidWebhookError when it does not verify). */
  async applyPaymentWebhook(webhook: PaymentWebhook): Promise<EventOutcome> {
    const holds = this.requireHolds();
    const event = await holds.readWebhook(webhook);
    return event ? holds.apply(event) : "ignored";
  }

  /** Ends the holds that ran out (run every few seconds locally, every minute in AWS). */
  sweepHolds(): Promise<SweepResult> {
    return this.requireHolds().sweep();
  }

  /** A merchandiser's refund of a confirmed order. */
  refundOrder(shopper: string, orderId: string): Promise<Order | undefined> {
    return this.requireHolds().refund(shopper, orderId);
  }

  private requireHolds(): HoldLifecycle {
    if (!this.holds) throw new Error("this shop has no payment provider configured");
    return this.holds;
  }

  admission(shopper: string, sku: string, ticket?: string): Promise<AdmissionResult> {
    return this.waitingRoom.status(shopper, sku, ticket);
  }

  async listProducts(): Promise<ProductListing> {
    const snapshot = await this.catalog.current();
    return {
      products: snapshot.ordered.map((product) => this.view(product)),
      asOf: new Date(snapshot.readAt).toISOString(),
    };
  }

  /**
   * The public feed shoppers poll: only what changes during a sale, from the same snapshot as the listing
   * (so no DynamoDB read of its own), stamped with this server's clock for the storefront's countdowns.
   */
  async availability(): Promise<AvailabilityFeed> {
    const snapshot = await this.catalog.current();
    return {
      products: snapshot.ordered.map((product) => this.stock(product)),
      serverTime: new Date(this.clock()).toISOString(),
    };
  }

  /** One product: reads only that product and its shards (at most once a second), never the whole catalog. */
  async getProduct(sku: string): Promise<ProductView | undefined> {
    const product = await this.catalog.product(sku);
    return product && this.view(product);
  }

  /** Resolves once no snapshot read is under way (tests and benches that count reads). */
  settled(): Promise<void> {
    return this.catalog.settled();
  }

  listOrders(shopper: string): Promise<Order[]> {
    return this.store.listOrders(shopper);
  }

  getOrder(shopper: string, orderId: string): Promise<Order | undefined> {
    return this.store.getOrder(shopper, orderId);
  }

  private stock(product: Product): ProductAvailability {
    const available = this.knowledge.available(product.sku);
    return { sku: product.sku, available, soldOut: product.soldOut || available === 0 };
  }

  private view(product: Product): ProductView {
    const { available, soldOut } = this.stock(product);
    return {
      sku: product.sku,
      name: product.name,
      description: product.description,
      imageUrl: product.imageUrl,
      priceCents: product.priceCents,
      currency: product.currency,
      saleStartsAt: product.saleStartsAt,
      saleEndsAt: product.saleEndsAt,
      perCustomerLimit: product.perCustomerLimit,
      available,
      soldOut,
      loadedUnits: product.loadedUnits,
      waitingRoom: product.waitingRoom,
      checkout: product.checkout,
      holdSeconds: product.holdSeconds,
    };
  }
}
