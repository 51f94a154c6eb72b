import type { ProviderPayment } from "../domain/payments";
import { ORDER_SK_PREFIX } from "./keys";

/**
 * Reconciliation: the data model's invariants and money against goods, over snapshots (the table's items
 * and the provider's payments), independent of the code that wrote them. One comparison for both users:
 * `npm run stock -- reconcile` and perf's audit after a run.
 */

type Invariant =
  | "stock-conservation"
  | "orders-match-stock"
  | "shard-negative"
  | "shards-missing"
  | "over-limit"
  | "limit-mismatch"
  | "idempotency-key-reused"
  | "order-malformed"
  | "hold-index-stale"
  | "payment-missing"
  | "payment-orphan";

/** One broken invariant, named for a person to act on: what was found, and what to do about it. */
export interface Violation {
  invariant: Invariant;
  sku?: string;
  shopper?: string;
  orderId?: string;
  message: string;
  action: string;
}

/** What to do, where a finding has no more precise advice of its own. */
const ACTIONS: Record<Invariant, string> = {
  "stock-conservation":
    "stock was changed outside a purchase: compare `npm run stock -- status` with the catalog before the next sale",
  "orders-match-stock":
    "a shard is off by the difference: find the write that changed it (no order moved those units) and correct the shard before the next sale",
  "shard-negative":
    "a shard went below zero: stop the sale (`waiting-room <sku> on --rate 0` or the sale window) and investigate",
  "shards-missing":
    "recreate the missing shards: `npm run stock -- reshard <sku> <shards>` rewrites them from the total",
  "over-limit":
    "the shopper bought past the limit: decide whether to refund the extra order (`npm run stock -- refund <orderId>`)",
  "limit-mismatch":
    "the shopper's limit counter disagrees with their orders: correct the LIMIT item to their held and confirmed units",
  "idempotency-key-reused":
    "one purchase intent made two orders: refund all but one (`npm run stock -- refund <orderId>`)",
  "order-malformed": "an order item is not one the shop writes: inspect it in the table and fix or remove it by hand",
  "hold-index-stale": "delete the stale HOLDS# item: the expiry sweep would end an order that is no longer held",
  "payment-missing": "check the order at the provider's dashboard; if nobody paid, the goods went out unpaid",
  "payment-orphan": "refund the payment at the provider: nobody has an order for it",
};

/** A violation with the advice of its kind unless it has its own. */
function finding(violation: Omit<Violation, "action"> & { action?: string }): Violation {
  return { ...violation, action: violation.action ?? ACTIONS[violation.invariant] };
}

export interface ProductAudit {
  sku: string;
  loadedUnits: number;
  availableUnits: number;
  /** loaded − available: what the stock shards say was taken. */
  unitsSold: number;
  orders: number;
  /** Sum of confirmed order quantities: what shoppers were charged for. */
  orderedUnits: number;
  /** Units in PENDING_PAYMENT orders: taken from stock, awaiting payment. */
  heldUnits: number;
  shoppers: number;
  shards: number[];
}

export interface AuditReport {
  ok: boolean;
  items: number;
  products: ProductAudit[];
  orders: number;
  violations: Violation[];
}

type Item = Record<string, unknown>;

/** The provider's view of one checkout, as reconciliation compares it with the orders. */
export type PaymentRecord = Pick<ProviderPayment, "sessionId" | "orderId" | "amountCents" | "paid" | "refundedCents"> &
  Partial<Pick<ProviderPayment, "paymentId" | "sku">>;

/** Order statuses whose units are out of stock: held (awaiting payment) or sold. */
const HOLDING = "PENDING_PAYMENT";
const KNOWN_STATUSES = new Set(["CONFIRMED", "PENDING_PAYMENT", "EXPIRED", "CANCELLED", "REFUNDED"]);

const SHARD_PK = /^STOCK#(.+)#(\d+)$/;
const SHOPPER_PK = /^SHOPPER#(.+)$/;

/**
 * Checks the data model's invariants over every item of the table (a consistent Scan), independently
 * of the code that wrote them: units sold + available = loaded, confirmed orders account for exactly
 * the units taken, no negative shard, each shopper's limit counter equals their orders and stays within
 * the limit, and no idempotency key (= orderId) appears in two orders anywhere.
 *
 * With held checkout (products with `checkout: "payment"`), units in PENDING_PAYMENT orders are out of
 * stock too: loaded = available + held + sold, and each shopper's counter = held + confirmed units.
 * Orders that ended otherwise (EXPIRED, CANCELLED, REFUNDED) gave their units and allowance back. No
 * hold may stay in the expiry index (`type: "HOLD"`) for an order that is not PENDING_PAYMENT. Given
 * the payment provider's sessions (`payments`), every CONFIRMED order of a payment product has exactly
 * one paid session for its totalCents, and no paid session lacks a CONFIRMED or REFUNDED order.
 */
export function auditItems(items: Item[], payments?: PaymentRecord[]): AuditReport {
  const violations: Violation[] = [];
  const products = new Map<string, { item: Item; shards: Map<number, number> }>();
  const orphanShards = new Map<string, Map<number, number>>();
  const orders: Array<{ shopper: string; orderId: string; sku: string; quantity: number; item: Item }> = [];
  const limits = new Map<string, number>();
  const holds: Array<{ pk: string; sk: string; orderId: string; shopper: string }> = [];

  for (const item of items) {
    const pk = String(item.pk ?? "");
    const sk = String(item.sk ?? "");
    const shard = SHARD_PK.exec(pk);
    const shopper = SHOPPER_PK.exec(pk)?.[1];
    if (pk === "CATALOG" && sk.startsWith("PRODUCT#")) {
      const sku = sk.slice("PRODUCT#".length);
      const entry = products.get(sku) ?? { item, shards: orphanShards.get(sku) ?? new Map<number, number>() };
      entry.item = item;
      products.set(sku, entry);
    } else if (shard) {
      const [, sku = "", index = "0"] = shard;
      const units = Number(item.units);
      const target = products.get(sku)?.shards ?? orphanShards.get(sku) ?? new Map<number, number>();
      if (!products.has(sku)) orphanShards.set(sku, target);
      target.set(Number(index), units);
    } else if (shopper !== undefined && sk.startsWith(ORDER_SK_PREFIX)) {
      orders.push({
        shopper,
        orderId: String(item.orderId ?? ""),
        sku: String(item.sku ?? ""),
        quantity: Number(item.quantity),
        item,
      });
      if (String(item.orderId ?? "") !== sk.slice(ORDER_SK_PREFIX.length)) {
        violations.push(
          finding({
            invariant: "order-malformed",
            shopper,
            sku: String(item.sku),
            message: `order ${sk} of shopper ${shopper} carries orderId '${String(item.orderId)}': the key and the order disagree`,
          }),
        );
      }
    } else if (item.type === "HOLD" && pk.startsWith("HOLDS#")) {
      holds.push({ pk, sk, orderId: String(item.orderId ?? ""), shopper: String(item.shopper ?? "") });
    } else if (shopper !== undefined && sk.startsWith("LIMIT#")) {
      limits.set(`${shopper}\n${sk.slice("LIMIT#".length)}`, Number(item.units));
    }
  }
  for (const [sku, shards] of orphanShards) {
    if (!products.has(sku))
      violations.push(
        finding({
          invariant: "stock-conservation",
          sku,
          message: `${shards.size} stock shards of '${sku}' exist but no catalog item does`,
        }),
      );
  }

  // Orders per product and per (shopper, product); idempotency keys across the whole table.
  const orderedBySku = new Map<string, { orders: number; units: number; held: number; shoppers: Set<string> }>();
  const orderedByShopper = new Map<string, number>();
  const keyOwners = new Map<string, string[]>();
  for (const order of orders) {
    if (!Number.isInteger(order.quantity) || order.quantity < 1) {
      violations.push(
        finding({
          invariant: "order-malformed",
          sku: order.sku,
          shopper: order.shopper,
          message: `order ${order.orderId} has quantity ${String(order.item.quantity)}`,
        }),
      );
    }
    const status = String(order.item.status);
    if (!KNOWN_STATUSES.has(status)) {
      violations.push(
        finding({
          invariant: "order-malformed",
          sku: order.sku,
          shopper: order.shopper,
          message: `order ${order.orderId} has status '${status}', not one an order can have`,
        }),
      );
    }
    if (Number(order.item.totalCents) !== Number(order.item.priceCents) * order.quantity) {
      violations.push(
        finding({
          invariant: "order-malformed",
          sku: order.sku,
          shopper: order.shopper,
          message: `order ${order.orderId} charges ${String(order.item.totalCents)} cents for ${order.quantity} × ${String(order.item.priceCents)}`,
        }),
      );
    }
    if (!products.has(order.sku)) {
      violations.push(
        finding({
          invariant: "orders-match-stock",
          sku: order.sku,
          shopper: order.shopper,
          message: `order ${order.orderId} is for '${order.sku}', which is not in the catalog`,
        }),
      );
    }
    // Ended orders (EXPIRED, CANCELLED, REFUNDED) hold no units and no allowance.
    const confirmed = status === "CONFIRMED";
    const held = status === HOLDING;
    const perSku = orderedBySku.get(order.sku) ?? { orders: 0, units: 0, held: 0, shoppers: new Set<string>() };
    if (confirmed) {
      perSku.orders++;
      perSku.units += order.quantity;
      perSku.shoppers.add(order.shopper);
    } else if (held) perSku.held += order.quantity;
    orderedBySku.set(order.sku, perSku);
    const shopperKey = `${order.shopper}\n${order.sku}`;
    if (confirmed || held || !KNOWN_STATUSES.has(status))
      orderedByShopper.set(shopperKey, (orderedByShopper.get(shopperKey) ?? 0) + order.quantity);
    const owners = keyOwners.get(order.orderId) ?? [];
    owners.push(`${order.shopper}/${order.sku}`);
    keyOwners.set(order.orderId, owners);
  }
  for (const [orderId, owners] of keyOwners) {
    if (owners.length > 1) {
      violations.push(
        finding({
          invariant: "idempotency-key-reused",
          message: `idempotency key ${orderId} confirmed ${owners.length} orders (${owners.join(", ")}): one purchase intent was charged more than once`,
        }),
      );
    }
  }

  const productAudits: ProductAudit[] = [];
  for (const [sku, { item, shards }] of [...products].sort(([a], [b]) => a.localeCompare(b))) {
    const loadedUnits = Number(item.loadedUnits);
    const shardCount = Number(item.shardCount);
    const shardUnits = Array.from({ length: shardCount }, (_, k) => shards.get(k));
    const missing = shardUnits.flatMap((units, k) => (units === undefined ? [k] : []));
    if (missing.length > 0)
      violations.push(
        finding({
          invariant: "shards-missing",
          sku,
          message: `'${sku}' has shardCount ${shardCount} but shards ${missing.join(", ")} do not exist`,
        }),
      );
    const extra = [...shards.keys()].filter((k) => k >= shardCount);
    if (extra.length > 0)
      violations.push(
        finding({
          invariant: "stock-conservation",
          sku,
          message: `'${sku}' has stock in shards ${extra.join(", ")} beyond its shardCount ${shardCount}`,
        }),
      );
    for (const [k, units] of shards) {
      if (!Number.isInteger(units) || units < 0)
        violations.push(
          finding({ invariant: "shard-negative", sku, message: `shard ${k} of '${sku}' holds ${units} units` }),
        );
    }
    const availableUnits = [...shards.values()].reduce((sum, units) => sum + units, 0);
    const unitsSold = loadedUnits - availableUnits;
    const ordered = orderedBySku.get(sku) ?? { orders: 0, units: 0, held: 0, shoppers: new Set<string>() };
    const taken = ordered.units + ordered.held;
    const heldNote = ordered.held > 0 ? ` (${ordered.units} sold + ${ordered.held} held)` : "";
    if (!Number.isInteger(loadedUnits) || unitsSold < 0) {
      violations.push(
        finding({
          invariant: "stock-conservation",
          sku,
          message: `'${sku}' has ${availableUnits} units available but only ${String(item.loadedUnits)} were ever loaded`,
        }),
      );
    }
    if (taken > unitsSold) {
      violations.push(
        finding({
          invariant: "orders-match-stock",
          sku,
          message: `OVERSOLD '${sku}': confirmed and held orders hold ${taken} units${heldNote} but only ${unitsSold} were taken from stock (loaded ${loadedUnits}, available ${availableUnits})`,
          action: offBy(sku, taken - unitsSold, "more", shardUnits),
        }),
      );
    } else if (taken < unitsSold) {
      violations.push(
        finding({
          invariant: "orders-match-stock",
          sku,
          message: `'${sku}': ${unitsSold} units were taken from stock but confirmed and held orders hold only ${taken}${heldNote}`,
          action: offBy(sku, unitsSold - taken, "fewer", shardUnits),
        }),
      );
    }
    productAudits.push({
      sku,
      loadedUnits,
      availableUnits,
      unitsSold,
      orders: ordered.orders,
      orderedUnits: ordered.units,
      heldUnits: ordered.held,
      shoppers: ordered.shoppers.size,
      shards: shardUnits.map((u) => u ?? 0),
    });
  }

  // Per-customer limits: the counter written in the purchase transaction must equal the shopper's orders.
  const pairs = new Set([...limits.keys(), ...orderedByShopper.keys()]);
  for (const pair of pairs) {
    const [shopper = "", sku = ""] = pair.split("\n");
    const counted = limits.get(pair) ?? 0;
    const ordered = orderedByShopper.get(pair) ?? 0;
    const limit = Number(products.get(sku)?.item.perCustomerLimit ?? Infinity);
    if (counted !== ordered) {
      violations.push(
        finding({
          invariant: "limit-mismatch",
          sku,
          shopper,
          message: `shopper ${shopper} holds ${ordered} units of '${sku}' in held and confirmed orders but the limit counter says ${counted}`,
        }),
      );
    }
    if (ordered > limit || counted > limit) {
      violations.push(
        finding({
          invariant: "over-limit",
          sku,
          shopper,
          message: `shopper ${shopper} holds ${Math.max(ordered, counted)} units of '${sku}', over the per-customer limit of ${limit}`,
        }),
      );
    }
  }

  // The expiry index: a hold stays only while its order awaits payment.
  const orderById = new Map(orders.map((order) => [order.orderId, order]));
  for (const hold of holds) {
    const order = orderById.get(hold.orderId);
    if (order?.item.status !== HOLDING) {
      violations.push(
        finding({
          invariant: "hold-index-stale",
          shopper: hold.shopper,
          ...(order ? { sku: order.sku } : {}),
          message: order
            ? `the expiry index still holds order ${hold.orderId} (${hold.pk} ${hold.sk}), which is ${String(order.item.status)}, not PENDING_PAYMENT`
            : `the expiry index holds order ${hold.orderId} (${hold.pk} ${hold.sk}), which does not exist`,
        }),
      );
    }
  }

  if (payments) violations.push(...auditPayments(orders, products, payments));

  return {
    ok: violations.length === 0,
    items: items.length,
    products: productAudits,
    orders: orders.length,
    violations,
  };
}

/**
 * Orders against the provider's sessions: each CONFIRMED order of a payment product has exactly one paid
 * session for its totalCents; every paid session belongs to a CONFIRMED or REFUNDED order (a REFUNDED
 * order's payment must be refunded in full).
 */
function auditPayments(
  orders: Array<{ shopper: string; orderId: string; sku: string; item: Item }>,
  products: Map<string, { item: Item }>,
  payments: PaymentRecord[],
): Violation[] {
  const violations: Violation[] = [];
  const paidByOrder = new Map<string, PaymentRecord[]>();
  for (const payment of payments) {
    if (!payment.paid) continue;
    const list = paidByOrder.get(payment.orderId) ?? [];
    list.push(payment);
    paidByOrder.set(payment.orderId, list);
  }
  const orderById = new Map(orders.map((order) => [order.orderId, order]));
  for (const order of orders) {
    if (order.item.status !== "CONFIRMED" || products.get(order.sku)?.item.checkout !== "payment") continue;
    const paid = paidByOrder.get(order.orderId) ?? [];
    const total = Number(order.item.totalCents);
    const about = {
      invariant: "payment-missing",
      sku: order.sku,
      shopper: order.shopper,
      orderId: order.orderId,
    } as const;
    if (paid.length !== 1) {
      violations.push(
        finding({
          ...about,
          message:
            paid.length === 0
              ? `CONFIRMED order ${order.orderId} has no paid session at the payment provider`
              : `CONFIRMED order ${order.orderId} was paid ${paid.length} times (${paid.map((p) => p.sessionId).join(", ")})`,
          action:
            paid.length === 0
              ? `find order ${order.orderId}'s payment at the provider (client_reference_id ${order.orderId}); if nobody paid, the goods went out unpaid: contact the shopper before shipping`
              : `refund all but one of ${paid.map(paymentName).join(", ")} at the provider: the shopper paid ${paid.length} times`,
        }),
      );
    } else if (paid[0]?.amountCents !== total) {
      violations.push(
        finding({
          ...about,
          message: `CONFIRMED order ${order.orderId} totals ${total} cents but its session ${paid[0]?.sessionId} was paid ${paid[0]?.amountCents}`,
          action: `settle the difference of ${total - (paid[0]?.amountCents ?? 0)} cents with the shopper (payment ${paid[0] ? paymentName(paid[0]) : "?"})`,
        }),
      );
    }
  }
  for (const [orderId, paid] of paidByOrder) {
    const order = orderById.get(orderId);
    const status = order ? String(order.item.status) : undefined;
    if (status === "CONFIRMED") continue;
    for (const payment of paid) {
      // A REFUNDED order's payment went back in full; anything else paid has no order to show for it.
      if (status === "REFUNDED" && payment.refundedCents >= payment.amountCents) continue;
      violations.push(
        finding({
          invariant: "payment-orphan",
          ...(order ? { sku: order.sku, shopper: order.shopper } : payment.sku ? { sku: payment.sku } : {}),
          orderId,
          message: !order
            ? `session ${payment.sessionId} was paid ${payment.amountCents} cents for order ${orderId}, which does not exist`
            : status === "REFUNDED"
              ? `session ${payment.sessionId} of REFUNDED order ${orderId} kept ${payment.amountCents - payment.refundedCents} of ${payment.amountCents} cents`
              : `session ${payment.sessionId} was paid ${payment.amountCents} cents for order ${orderId}, which is ${status}, not CONFIRMED or REFUNDED`,
          action:
            status === "REFUNDED"
              ? `refund the remaining ${payment.amountCents - payment.refundedCents} cents of payment ${paymentName(payment)} at the provider`
              : `refund payment ${paymentName(payment)} at the provider (${order ? `order ${status}` : "no order"})`,
        }),
      );
    }
  }
  return violations;
}

/** How a person finds the payment: its PaymentIntent when known, else its session. */
function paymentName(payment: PaymentRecord): string {
  return payment.paymentId ?? payment.sessionId;
}

/**
 * Orders do not record their shards, so a difference is known per product; the advice names the shards to
 * look at and says whether they hold more or fewer units than the orders account for.
 */
function offBy(sku: string, units: number, direction: "more" | "fewer", shards: Array<number | undefined>): string {
  const each = shards.map((unitsLeft, k) => `${k}: ${unitsLeft ?? "missing"}`).join(", ");
  return `the shards of '${sku}' are off by ${units}: loaded = available + held + sold fails by ${units} (orders hold ${units} ${direction === "more" ? "more units than stock gave" : "fewer units than stock gave"}; shards ${each}); investigate before the next sale, then correct the shard`;
}

/** The report narrowed to one product: its own findings, and payments of its checkouts without an order. */
export function narrowToSku(report: AuditReport, sku: string, items: Item[]): AuditReport {
  const violations = report.violations.filter((violation) => violation.sku === sku);
  return {
    ...report,
    orders: items.filter((item) => String(item.sk ?? "").startsWith(ORDER_SK_PREFIX) && item.sku === sku).length,
    ok: violations.length === 0,
    products: report.products.filter((product) => product.sku === sku),
    violations,
  };
}
