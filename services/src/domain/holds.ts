import type { CatalogCache } from "./catalog";
import { inParallel } from "./in-parallel";
import {
  InvalidWebhookError,
  type PaymentEvent,
  type PaymentProvider,
  PaymentProviderUnavailableError,
} from "./payments";
import { type DueHold, type OrderLifecycleStore, type OrderRecord, StoreUnavailableError } from "./ports";
import type { StockKnowledge } from "./stock-knowledge";
import type { Order, Product } from "./types";

/**
 * Every hold ends exactly once. A `payment` product's purchase holds its units (PENDING_PAYMENT) until the
 * provider says it was paid (CONFIRMED), the shopper cancels (CANCELLED) or the hold runs out (EXPIRED,
 * returned by the sweep). Each move is one conditional write on the order's status (OrderLifecycleStore), so
 * whichever of the webhook, the sweep, a cancel and their retries comes first wins, and the others find the
 * order moved on. A payment that arrives after its hold was returned takes the units again if any are left,
 * and is refunded at once otherwise: money always matches goods.
 */
export interface HoldDeps {
  store: OrderLifecycleStore;
  catalog: CatalogCache;
  knowledge: StockKnowledge;
  /** Absent where only the store is needed (the expiry sweep, cancels): those never call the provider. */
  provider?: PaymentProvider;
  clock: () => number;
  random: () => number;
  /** The storefront's order page for an order id: where the payment page sends the shopper back. */
  orderPageUrl?: (orderId: string) => string;
}

export type CancelResult =
  | { ok: true; order: Order }
  | { ok: false; code: "ORDER_NOT_FOUND" | "ORDER_NOT_CANCELLABLE"; message: string };

/** What applying one provider event did (for logs and tests). */
export type EventOutcome =
  | "confirmed"
  | "already-applied"
  | "confirmed-late"
  | "refunded-late"
  | "refunded-duplicate"
  | "noted-decline"
  | "expired"
  | "ignored"
  | "unknown-order";

export interface SweepResult {
  /** A payment sale is on or its holds may still be running: the sweep read the expiry index. */
  active: boolean;
  expired: number;
  /** Due holds left for the next run (a full batch, or an engine fault on one). */
  remaining: boolean;
}

/** How many due holds one sweep run ends at most; the next run takes the rest. */
const SWEEP_BATCH = 500;
/** How many due holds the sweep ends at once (each is a read and a transaction of its own). */
const SWEEP_CONCURRENCY = 16;
/** How far the sweep's cursor trails the minute it ran in (see sweep). */
const CURSOR_LAG_MS = 60_000;
/** A sweep never looked at before starts this far back: longer than the longest hold. */
const FIRST_SWEEP_LOOKBACK_MS = 31 * 60_000;

export class HoldLifecycle {
  constructor(private readonly deps: HoldDeps) {}

  /**
   * The hosted payment page of a held order, made once per order (the provider returns the same session for
   * the same order) and stored on it. Called right after the purchase, and again on a replay that lacks it.
   */
  async ensureCheckout(shopper: string, order: Order, product: Product): Promise<Order> {
    if (order.status !== "PENDING_PAYMENT" || order.checkoutUrl || !order.holdExpiresAt) return order;
    const session = await this.provider().createCheckout({
      orderId: order.orderId,
      shopper,
      sku: order.sku,
      productName: product.name,
      quantity: order.quantity,
      totalCents: order.totalCents,
      currency: order.currency,
      expiresAt: order.holdExpiresAt,
      successUrl: this.orderPage(order.orderId),
      cancelUrl: this.orderPage(order.orderId),
    });
    await this.deps.store.setCheckoutUrl(shopper, order.orderId, session.url);
    return { ...order, checkoutUrl: session.url };
  }

  /** Verifies and reads a provider webhook (InvalidWebhookError when it does not verify). */
  readWebhook(webhook: { rawBody: string; signature: string | undefined }): Promise<PaymentEvent | undefined> {
    return this.provider().readWebhook(webhook.rawBody, webhook.signature);
  }

  /** The shopper gives up before paying: the units and the allowance go back. Again on a cancelled order: no change. */
  async cancel(shopper: string, orderId: string): Promise<CancelResult> {
    const record = await this.deps.store.readOrder(shopper, orderId);
    if (!record) return { ok: false, code: "ORDER_NOT_FOUND", message: `You have no order '${orderId}'.` };
    if (record.order.status === "PENDING_PAYMENT") {
      await this.returnHold(record, "CANCELLED");
      const after = await this.deps.store.readOrder(shopper, orderId);
      if (after?.order.status === "CANCELLED") return { ok: true, order: after.order };
      return notCancellable(after?.order ?? record.order);
    }
    if (record.order.status === "CANCELLED") return { ok: true, order: record.order };
    return notCancellable(record.order);
  }

  /** Applies one verified provider event; safe to apply again (the provider retries until it gets a 200). */
  async apply(event: PaymentEvent): Promise<EventOutcome> {
    const record = await this.deps.store.readOrder(event.shopper, event.orderId);
    if (!record) {
      // Money for an order this shop never held (or a stranger's metadata): give it back rather than keep it.
      if (event.kind === "paid") await this.provider().refund(event.paymentId, event.orderId);
      return "unknown-order";
    }
    if (event.kind === "declined") {
      if (record.order.status !== "PENDING_PAYMENT") return "ignored";
      await this.deps.store.notePaymentError(event.shopper, event.orderId, event.reason);
      return "noted-decline";
    }
    if (event.kind === "checkout-expired") {
      // The payment page closed; the hold itself ends on its own clock (the sweep), or now if already due.
      if (record.order.status !== "PENDING_PAYMENT" || !isDue(record.order, this.deps.clock())) return "ignored";
      await this.returnHold(record, "EXPIRED");
      return "expired";
    }
    return this.paid(record, event);
  }

  /**
   * Ends every hold that ran out since the last run: reads the expiry index from where the last complete run
   * stopped, returns each due hold, and moves the cursor only when every due hold up to this minute is done.
   */
  async sweep(): Promise<SweepResult> {
    const now = this.deps.clock();
    const cursor = await this.deps.store.sweepCursor();
    const from = cursor ?? now - FIRST_SWEEP_LOOKBACK_MS;
    if (!(await this.holdsPossibleSince(from, now))) return { active: false, expired: 0, remaining: false };
    const { due, complete } = await this.deps.store.dueHolds(from, now, SWEEP_BATCH);
    let expired = 0;
    let failed = false;
    // Each hold is its own read and transaction on its own order and shards: a sale's worth of them one after
    // another would take longer than the promise of "back within seconds" allows.
    await inParallel(due, SWEEP_CONCURRENCY, async (hold) => {
      try {
        if (await this.expire(hold, now)) expired++;
      } catch {
        failed = true; // the engine faulted: this hold stays in the index for the next run
      }
    });
    // The cursor stays a minute behind: a container whose clock runs a little behind this one's may still file
    // a hold in the minute just passed, and no hold may fall behind the cursor.
    const safeFrom = now - (now % 60_000) - CURSOR_LAG_MS;
    if (complete && !failed && safeFrom > from) await this.deps.store.setSweepCursor(safeFrom);
    return { active: true, expired, remaining: !complete || failed };
  }

  /** A merchandiser's refund of a confirmed order: money back, and units back while the sale is open. */
  async refund(shopper: string, orderId: string): Promise<Order | undefined> {
    const record = await this.deps.store.readOrder(shopper, orderId);
    if (!record) return undefined;
    if (record.order.status === "REFUNDED") return record.order;
    if (record.order.status !== "CONFIRMED" || !record.paymentId)
      throw new Error(`order ${orderId} is ${record.order.status} without a payment to refund`);
    await this.provider().refund(record.paymentId, orderId);
    const product = (await this.deps.catalog.current()).products.get(record.order.sku);
    const saleOpen = !!product && this.deps.clock() < Date.parse(product.saleEndsAt);
    await this.deps.store.markRefunded(
      record,
      ["CONFIRMED"],
      saleOpen ? "Refunded by the shop." : "Refunded by the shop after the sale closed; the units stay off sale.",
      saleOpen && product ? { shardCount: product.shardCount } : undefined,
    );
    return (await this.deps.store.readOrder(shopper, orderId))?.order;
  }

  private async paid(record: OrderRecord, event: PaidEvent, depth = 0): Promise<EventOutcome> {
    const { order } = record;
    if (event.amountCents !== order.totalCents || event.currency.toUpperCase() !== order.currency.toUpperCase()) {
      // Not what this order costs: never confirm goods for a different sum.
      await this.provider().refund(event.paymentId, order.orderId);
      return "refunded-duplicate";
    }
    if (order.status === "PENDING_PAYMENT") {
      if (await this.deps.store.confirmPaid(record, event.paymentId)) return "confirmed";
      return this.again(record, event, depth); // the sweep or a cancel got there first: handle it as late
    }
    if (order.status === "CONFIRMED") {
      if (record.paymentId === undefined || record.paymentId === event.paymentId) return "already-applied";
      // A second payment for one order: keep the first, give this one back.
      await this.provider().refund(event.paymentId, order.orderId);
      return "refunded-duplicate";
    }
    if (order.status === "REFUNDED") {
      await this.provider().refund(event.paymentId, order.orderId); // idempotent per order
      return "already-applied";
    }
    return this.paidLate(record, event, depth);
  }

  /**
   * Paid after the hold was returned: take the units again if the shop still has them, else refund at once.
   * The order is marked REFUNDED before the money goes back, so a crash in between is finished by the
   * provider's retry (the REFUNDED branch refunds again, idempotently), and a copy of this event handled
   * elsewhere at the same time finds the order moved on instead of refunding a confirmed order.
   */
  private async paidLate(record: OrderRecord, event: PaidEvent, depth: number): Promise<EventOutcome> {
    const { order } = record;
    const product = (await this.deps.catalog.current()).products.get(order.sku);
    if (product) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const plan = this.deps.knowledge.plan(order.sku, order.quantity, this.deps.random, new Set());
        if (plan.kind !== "take") break;
        const outcome = await this.deps.store.retake(
          record,
          plan.takes,
          product.perCustomerLimit,
          event.paymentId,
          "Paid after the hold ended; the units were still there, so the order is confirmed.",
        );
        if (outcome === "confirmed") return "confirmed-late";
        if (outcome === "changed") return this.again(record, event, depth);
        if (outcome === "limit") break;
      }
    }
    const marked = await this.deps.store.markRefunded(
      record,
      ["EXPIRED", "CANCELLED"],
      "Paid after the hold ended and the units were gone: the payment was refunded.",
    );
    if (!marked) return this.again(record, event, depth);
    await this.provider().refund(event.paymentId, order.orderId);
    return "refunded-late";
  }

  /** The order moved on while this event was being applied: apply it to what the order is now. */
  private async again(record: OrderRecord, event: PaidEvent, depth: number): Promise<EventOutcome> {
    const now = await this.deps.store.readOrder(record.shopper, record.order.orderId);
    if (!now) return "unknown-order";
    // Statuses only move forward, so this ends; the bound is a guard against a bug, not a retry policy.
    if (depth >= 4) throw new Error(`order ${record.order.orderId} kept moving while a payment was applied`);
    return this.paid(now, event, depth + 1);
  }

  /**
   * The provider, each call's failure (other than a refused webhook) turned into PaymentProviderUnavailableError:
   * the caller answers 503 and the provider's retry, or the shopper's, applies the move later.
   */
  private provider(): PaymentProvider {
    const provider = this.deps.provider;
    if (!provider) throw new Error("this container has no payment provider configured");
    const guarded =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        try {
          return await call(...args);
        } catch (error) {
          if (error instanceof InvalidWebhookError || error instanceof StoreUnavailableError) throw error;
          throw new PaymentProviderUnavailableError(`payment provider: ${(error as Error).message}`);
        }
      };
    return {
      createCheckout: guarded(provider.createCheckout.bind(provider)),
      readWebhook: guarded(provider.readWebhook.bind(provider)),
      refund: guarded(provider.refund.bind(provider)),
      listPayments: guarded(provider.listPayments.bind(provider)),
    };
  }

  private orderPage(orderId: string): string {
    if (!this.deps.orderPageUrl) throw new Error("this container does not know the storefront's order page");
    return this.deps.orderPageUrl(orderId);
  }

  private async expire(hold: DueHold, now: number): Promise<boolean> {
    const record = await this.deps.store.readOrder(hold.shopper, hold.orderId);
    if (record?.order.status !== "PENDING_PAYMENT" || !isDue(record.order, now)) return false;
    return this.returnHold(record, "EXPIRED");
  }

  private async returnHold(record: OrderRecord, to: "EXPIRED" | "CANCELLED"): Promise<boolean> {
    const product = (await this.deps.catalog.current()).products.get(record.order.sku);
    const shardCount = product?.shardCount ?? Math.max(1, ...record.takes.map((take) => take.shard + 1));
    return this.deps.store.returnHold(record, to, shardCount);
  }

  /** Whether any payment product's holds could have ended between `from` and `now` (idle between sales: no reads). */
  private async holdsPossibleSince(from: number, now: number): Promise<boolean> {
    const { products } = await this.deps.catalog.current();
    for (const product of products.values()) {
      if (product.checkout !== "payment") continue;
      const firstHoldEnds = Date.parse(product.saleStartsAt);
      const lastHoldEnds = Date.parse(product.saleEndsAt) + product.holdSeconds * 1_000;
      if (firstHoldEnds <= now && lastHoldEnds >= from) return true;
    }
    return false;
  }
}

type PaidEvent = Extract<PaymentEvent, { kind: "paid" }>;

function isDue(order: Order, now: number): boolean {
  return !!order.holdExpiresAt && Date.parse(order.holdExpiresAt) <= now;
}

function notCancellable(order: Order): CancelResult {
  return {
    ok: false,
    code: "ORDER_NOT_CANCELLABLE",
    message: `Order '${order.orderId}' is ${order.status}; only an order waiting for payment can be cancelled.`,
  };
}
