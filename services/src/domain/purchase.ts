import { createHash } from "node:crypto";
import type { CatalogCache } from "./catalog";
import type { PurchaseWrite, PurchaseWriteOutcome, ShopStore } from "./ports";
import type { StockKnowledge } from "./stock-knowledge";
import type { Order, Product, PurchaseRequest, PurchaseResult } from "./types";
import { purchaseRequestProblem } from "./validation";

export interface PurchaseDeps {
  store: ShopStore;
  catalog: CatalogCache;
  knowledge: StockKnowledge;
  clock: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A new unique id: each request's own DynamoDB ClientRequestTokens derive from it. */
  newRequestId: () => string;
  /** Attempts before answering TRY_AGAIN; each failed attempt moves to another shard. */
  maxAttempts: number;
  /** No new attempt starts after this long (ms): a shopper gets TRY_AGAIN rather than a long wait. */
  attemptBudgetMs: number;
  /** Full-jitter backoff: attempt n waits random() * min(cap, base * 2^n) ms. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Payments are configured (holds.ts): without them a `payment` product is never sold, nothing is taken. */
  canHold: boolean;
}

const fail = (
  code: Exclude<PurchaseResult, { ok: true }>["code"],
  message: string,
  details?: Record<string, unknown>,
): PurchaseResult => ({ ok: false, code, message, ...(details ? { details } : {}) });

/**
 * Buys `quantity` units of `sku` for `shopper` exactly once per idempotency key. Each attempt is ONE
 * atomic write (shard decrements + order + per-customer count, and for a payment product the hold's
 * entry in the expiry index): the order is CONFIRMED, or PENDING_PAYMENT holding the units; a short, busy or throttled shard moves
 * the next attempt to another shard after a jittered pause.
 */
export async function purchase(deps: PurchaseDeps, request: PurchaseRequest): Promise<PurchaseResult> {
  const problem = purchaseRequestProblem(request);
  if (problem) return fail("INVALID_REQUEST", problem);

  const { sku, quantity, shopper, idempotencyKey } = request;
  // Its own product and shards only: a purchase never waits for the whole catalog.
  const product = await deps.catalog.product(sku);
  if (!product) return fail("PRODUCT_NOT_FOUND", `No product has sku '${sku}'.`, { sku });
  if (quantity > product.perCustomerLimit) {
    return fail(
      "INVALID_REQUEST",
      `quantity must be a whole number from 1 to ${product.perCustomerLimit} (the per-customer limit of '${sku}')`,
      {
        perCustomerLimit: product.perCustomerLimit,
      },
    );
  }
  if (product.checkout === "payment" && !deps.canHold)
    throw new Error(`'${sku}' takes payment, and this shop has no payment provider configured`);
  const now = deps.clock();
  if (now < Date.parse(product.saleStartsAt))
    return fail("SALE_NOT_STARTED", `The sale of '${sku}' starts at ${product.saleStartsAt}.`, {
      saleStartsAt: product.saleStartsAt,
    });
  if (now >= Date.parse(product.saleEndsAt))
    return fail("SALE_ENDED", `The sale of '${sku}' ended at ${product.saleEndsAt}.`, {
      saleEndsAt: product.saleEndsAt,
    });

  const order: Order = {
    orderId: idempotencyKey,
    sku,
    quantity,
    priceCents: product.priceCents,
    totalCents: product.priceCents * quantity,
    currency: product.currency,
    createdAt: new Date(now).toISOString(),
    // A payment product's purchase holds the units; the shopper pays within the hold (domain/holds.ts).
    ...(product.checkout === "payment"
      ? { status: "PENDING_PAYMENT", holdExpiresAt: new Date(now + product.holdSeconds * 1_000).toISOString() }
      : { status: "CONFIRMED" }),
  };
  const requestId = deps.newRequestId();
  let busy = new Set<number>();
  let throttledAttempts = 0;

  const maxTakes = deps.store.maxTakes({ shopper, order, perCustomerLimit: product.perCustomerLimit });
  let attempt = 0;
  while (attempt < deps.maxAttempts && deps.clock() - now < deps.attemptBudgetMs) {
    const plan = deps.knowledge.plan(sku, quantity, deps.random, busy, maxTakes);
    if (plan.kind === "held") {
      // The units left are being taken by this container's writes under way: their outcome says whether
      // any remain, so wait for one rather than send a write that would fail its condition. Each write is
      // bounded by the engine client's timeouts, so the wait is too. Not an attempt: nothing was written.
      await deps.knowledge.nextSettlement(sku);
      continue;
    }
    if (plan.kind !== "take") {
      // Answered without writing; a retry of a purchase that already succeeded still gets its order.
      const replay = await replayOf(deps.store, shopper, order);
      if (replay) return replay;
      if (plan.kind === "sold-out") {
        if (await confirmSoldOut(deps, product)) return fail("SOLD_OUT", `'${sku}' is sold out.`);
        attempt++;
        continue; // the check found units after all and re-read the shards: plan again
      }
      return fail(
        "INSUFFICIENT_STOCK",
        `Only ${plan.available} of '${sku}' can be bought now; you asked for ${quantity}.`,
        {
          available: plan.available,
        },
      );
    }

    const outcome = await writeAndLearn(deps, {
      shopper,
      order,
      takes: plan.takes,
      perCustomerLimit: product.perCustomerLimit,
      requestToken: requestToken(requestId, attempt),
    });
    attempt++;
    if (outcome.kind === "confirmed") return { ok: true, order, replayed: false, attempts: attempt };
    if (outcome.kind === "cancelled") {
      if (outcome.orderExists) {
        const replay = await replayOf(deps.store, shopper, order);
        if (replay) return replay;
      } else if (outcome.limitReached) {
        return fail("LIMIT_EXCEEDED", `You can buy at most ${product.perCustomerLimit} of '${sku}'.`, {
          perCustomerLimit: product.perCustomerLimit,
        });
      }
      busy = new Set(outcome.busyShards);
      if (outcome.throttled) throttledAttempts++;
      // A short shard is certain news: try the next one at once. Contention and throttling need a pause.
      if (outcome.shortShards.length > 0 && outcome.busyShards.length === 0) continue;
    } else {
      throttledAttempts++;
    }
    await deps.sleep(deps.random() * Math.min(deps.backoffCapMs, deps.backoffBaseMs * 2 ** (attempt - 1)));
  }

  if (deps.knowledge.isSoldOut(sku) && (await confirmSoldOut(deps, product)))
    return fail("SOLD_OUT", `'${sku}' is sold out.`);
  const why = throttledAttempts > 0 ? "is being throttled" : "is too contended right now";
  return fail("TRY_AGAIN", `The stock of '${sku}' ${why}; retry with the same idempotencyKey.`, {
    retryAfterSeconds: 1,
  });
}

/**
 * Sends one attempt's write, its units held from this container's other plans until the outcome has
 * taught the knowledge what it says (taken, or a shard short): released earlier, a waiting plan would
 * see those units as still there.
 */
async function writeAndLearn(deps: PurchaseDeps, write: PurchaseWrite): Promise<PurchaseWriteOutcome> {
  const { sku } = write.order;
  const held = deps.knowledge.hold(sku, write.takes);
  try {
    const outcome = await deps.store.writePurchase(write);
    // A confirmation carrying this request's own token is evidence of this request's own write.
    if (outcome.kind === "confirmed") deps.knowledge.observeTaken(held, deps.clock());
    if (outcome.kind === "cancelled") {
      for (const take of write.takes)
        if (outcome.shortShards.includes(take.shard)) deps.knowledge.observeShort(sku, take, deps.clock());
    }
    return outcome;
  } finally {
    held.release();
  }
}

/** The existing order when this key already bought exactly this; IDEMPOTENCY_KEY_REUSED when it bought something else. */
async function replayOf(store: ShopStore, shopper: string, wanted: Order): Promise<PurchaseResult | undefined> {
  const existing = await store.getOrder(shopper, wanted.orderId);
  if (!existing) return undefined;
  if (existing.sku === wanted.sku && existing.quantity === wanted.quantity)
    return { ok: true, order: existing, replayed: true };
  return fail(
    "IDEMPOTENCY_KEY_REUSED",
    `idempotencyKey '${wanted.orderId}' was already used for a different purchase (${existing.quantity} of '${existing.sku}').`,
  );
}

/**
 * This container's knowledge says every shard is empty. A product flagged in the catalog is sold out;
 * otherwise the store's check that every live shard holds 0 (ShopStore.markSoldOut, which flags it) decides,
 * one check per container at a time (StockKnowledge.confirmSoldOut), because a flagged product is never read
 * again until a refill: a flag set on a wrong belief would strand units. False when a shard still holds
 * units; the shards it read are then what the next plan sees.
 */
async function confirmSoldOut(deps: PurchaseDeps, product: Product): Promise<boolean> {
  if (product.soldOut) return true;
  return deps.knowledge.confirmSoldOut(product.sku, async () => {
    const readAt = deps.clock();
    const answer = await deps.store.markSoldOut(product);
    return answer.soldOut ? answer : { ...answer, readAt };
  });
}

/**
 * One token per attempt of one request: the SDK's transport retries of that attempt are absorbed by
 * DynamoDB, and nothing else shares it. Concurrent copies of a purchase (same idempotency key and body)
 * must not share a token, or DynamoDB answers each copy as the one success; they are stopped by the
 * order's `attribute_not_exists` condition instead and answered from the stored order.
 */
function requestToken(requestId: string, attempt: number): string {
  return createHash("sha256").update(`${requestId}\n${attempt}`).digest("base64url").slice(0, 36);
}
