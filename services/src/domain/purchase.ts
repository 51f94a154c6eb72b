import { createHash } from "node:crypto";
import type { CatalogCache } from "./catalog";
import type { ShardTake, ShopStore } from "./ports";
import type { StockKnowledge } from "./stock-knowledge";
import type { Order, Product, PurchaseRequest, PurchaseResult } from "./types";
import { idempotencyKeyProblem, quantityProblem, shopperProblem, skuProblem } from "./validation";

export interface PurchaseDeps {
  store: ShopStore;
  catalog: CatalogCache;
  knowledge: StockKnowledge;
  clock: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Attempts before answering TRY_AGAIN; each failed attempt moves to another shard. */
  maxAttempts: number;
  /** Full-jitter backoff: attempt n waits random() * min(cap, base * 2^n) ms. */
  backoffBaseMs: number;
  backoffCapMs: number;
}

const fail = (code: Exclude<PurchaseResult, { ok: true }>["code"], message: string, details?: Record<string, unknown>): PurchaseResult =>
  ({ ok: false, code, message, ...(details ? { details } : {}) });

/**
 * Buys `quantity` units of `sku` for `shopper` exactly once per idempotency key. Each attempt is ONE
 * atomic write (shard decrements + order + per-customer count); a short, busy or throttled shard moves
 * the next attempt to another shard after a jittered pause.
 */
export async function purchase(deps: PurchaseDeps, request: PurchaseRequest): Promise<PurchaseResult> {
  const problem =
    shopperProblem(request.shopper) ?? skuProblem(request.sku) ?? quantityProblem(request.quantity) ?? idempotencyKeyProblem(request.idempotencyKey);
  if (problem) return fail("INVALID_REQUEST", problem);

  const { sku, quantity, shopper, idempotencyKey } = request;
  const product = (await deps.catalog.current()).products.get(sku);
  if (!product) return fail("PRODUCT_NOT_FOUND", `No product has sku '${sku}'.`, { sku });
  if (quantity > product.perCustomerLimit) {
    return fail("INVALID_REQUEST", `quantity must be a whole number from 1 to ${product.perCustomerLimit} (the per-customer limit of '${sku}')`, {
      perCustomerLimit: product.perCustomerLimit,
    });
  }
  const now = deps.clock();
  if (now < Date.parse(product.saleStartsAt)) return fail("SALE_NOT_STARTED", `The sale of '${sku}' starts at ${product.saleStartsAt}.`, { saleStartsAt: product.saleStartsAt });
  if (now >= Date.parse(product.saleEndsAt)) return fail("SALE_ENDED", `The sale of '${sku}' ended at ${product.saleEndsAt}.`, { saleEndsAt: product.saleEndsAt });

  const order: Order = {
    orderId: idempotencyKey,
    sku,
    quantity,
    priceCents: product.priceCents,
    totalCents: product.priceCents * quantity,
    currency: product.currency,
    createdAt: new Date(now).toISOString(),
    status: "CONFIRMED",
  };
  let busy = new Set<number>();
  let throttledAttempts = 0;

  for (let attempt = 0; attempt < deps.maxAttempts; attempt++) {
    const plan = deps.knowledge.plan(sku, quantity, deps.random, busy);
    if (plan.kind !== "take") {
      // Answered without writing; a retry of a purchase that already succeeded still gets its order.
      const replay = await replayOf(deps.store, shopper, order);
      if (replay) return replay;
      if (plan.kind === "sold-out") {
        await markSoldOutOnce(deps, product);
        return fail("SOLD_OUT", `'${sku}' is sold out.`);
      }
      return fail("INSUFFICIENT_STOCK", `Only ${plan.available} of '${sku}' left; you asked for ${quantity}.`, { available: plan.available });
    }

    const outcome = await deps.store.writePurchase({
      shopper,
      order,
      takes: plan.takes,
      perCustomerLimit: product.perCustomerLimit,
      requestToken: requestToken(order, shopper, attempt, plan.takes),
    });
    if (outcome.kind === "confirmed") {
      deps.knowledge.observeTaken(sku, plan.takes, deps.clock());
      return { ok: true, order, replayed: false, attempts: attempt + 1 };
    }
    if (outcome.kind === "cancelled") {
      if (outcome.orderExists) {
        const replay = await replayOf(deps.store, shopper, order);
        if (replay) return replay;
      } else if (outcome.limitReached) {
        return fail("LIMIT_EXCEEDED", `You can buy at most ${product.perCustomerLimit} of '${sku}'.`, { perCustomerLimit: product.perCustomerLimit });
      }
      for (const take of plan.takes) {
        if (outcome.shortShards.includes(take.shard)) deps.knowledge.observeShort(sku, take, deps.clock());
      }
      busy = new Set(outcome.busyShards);
      if (outcome.throttled) throttledAttempts++;
      // A short shard is certain news: try the next one at once. Contention and throttling need a pause.
      if (outcome.shortShards.length > 0 && outcome.busyShards.length === 0) continue;
    } else {
      throttledAttempts++;
    }
    await deps.sleep(deps.random() * Math.min(deps.backoffCapMs, deps.backoffBaseMs * 2 ** attempt));
  }

  if (deps.knowledge.isSoldOut(sku)) {
    await markSoldOutOnce(deps, product);
    return fail("SOLD_OUT", `'${sku}' is sold out.`);
  }
  const why = throttledAttempts > 0 ? "is being throttled" : "is too contended right now";
  return fail("TRY_AGAIN", `The stock of '${sku}' ${why}; retry with the same idempotencyKey.`, { retryAfterSeconds: 1 });
}

/** The existing order when this key already bought exactly this; IDEMPOTENCY_KEY_REUSED when it bought something else. */
async function replayOf(store: ShopStore, shopper: string, wanted: Order): Promise<PurchaseResult | undefined> {
  const existing = await store.getOrder(shopper, wanted.orderId);
  if (!existing) return undefined;
  if (existing.sku === wanted.sku && existing.quantity === wanted.quantity) return { ok: true, order: existing, replayed: true };
  return fail("IDEMPOTENCY_KEY_REUSED", `idempotencyKey '${wanted.orderId}' was already used for a different purchase (${existing.quantity} of '${existing.sku}').`);
}

/** The first time this container sees every shard empty, it tells the catalog (once). */
async function markSoldOutOnce(deps: PurchaseDeps, product: Product): Promise<void> {
  if (!product.soldOut && deps.knowledge.claimSoldOutAnnouncement(product.sku)) await deps.store.markSoldOut(product.sku);
}

/**
 * One token per attempt of one request: the SDK's transport retries of that attempt are absorbed by
 * DynamoDB. A later request with the same idempotency key gets a new token (its order differs in
 * createdAt, which DynamoDB would reject as a parameter mismatch) and is stopped by the order's
 * `attribute_not_exists` condition instead, then answered from the stored order.
 */
function requestToken(order: Order, shopper: string, attempt: number, takes: ShardTake[]): string {
  const takeList = takes.map((take) => `${take.shard}:${take.units}`).join(",");
  return createHash("sha256").update(`${shopper}\n${order.orderId}\n${order.createdAt}\n${attempt}\n${takeList}`).digest("base64url").slice(0, 36);
}
