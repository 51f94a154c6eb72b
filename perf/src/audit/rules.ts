import { ORDER_SK_PREFIX } from "@flash-sale/services/store";

/** One broken invariant, named for a person to act on. */
export interface Violation {
  invariant:
    | "stock-conservation"
    | "orders-match-stock"
    | "shard-negative"
    | "shards-missing"
    | "over-limit"
    | "limit-mismatch"
    | "idempotency-key-reused"
    | "order-malformed";
  sku?: string;
  shopper?: string;
  message: string;
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

const SHARD_PK = /^STOCK#(.+)#(\d+)$/;
const SHOPPER_PK = /^SHOPPER#(.+)$/;

/**
 * Checks the data model's invariants over every item of the table (a consistent Scan), independently
 * of the code that wrote them: units sold + available = loaded, confirmed orders account for exactly
 * the units taken, no negative shard, each shopper's limit counter equals their orders and stays within
 * the limit, and no idempotency key (= orderId) appears in two orders anywhere.
 */
export function auditItems(items: Item[]): AuditReport {
  const violations: Violation[] = [];
  const products = new Map<string, { item: Item; shards: Map<number, number> }>();
  const orphanShards = new Map<string, Map<number, number>>();
  const orders: Array<{ shopper: string; orderId: string; sku: string; quantity: number; item: Item }> = [];
  const limits = new Map<string, number>();

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
        violations.push({
          invariant: "order-malformed",
          shopper,
          sku: String(item.sku),
          message: `order ${sk} of shopper ${shopper} carries orderId '${String(item.orderId)}': the key and the order disagree`,
        });
      }
    } else if (shopper !== undefined && sk.startsWith("LIMIT#")) {
      limits.set(`${shopper}\n${sk.slice("LIMIT#".length)}`, Number(item.units));
    }
  }
  for (const [sku, shards] of orphanShards) {
    if (!products.has(sku))
      violations.push({
        invariant: "stock-conservation",
        sku,
        message: `${shards.size} stock shards of '${sku}' exist but no catalog item does`,
      });
  }

  // Orders per product and per (shopper, product); idempotency keys across the whole table.
  const orderedBySku = new Map<string, { orders: number; units: number; shoppers: Set<string> }>();
  const orderedByShopper = new Map<string, number>();
  const keyOwners = new Map<string, string[]>();
  for (const order of orders) {
    if (!Number.isInteger(order.quantity) || order.quantity < 1) {
      violations.push({
        invariant: "order-malformed",
        sku: order.sku,
        shopper: order.shopper,
        message: `order ${order.orderId} has quantity ${String(order.item.quantity)}`,
      });
    }
    if (order.item.status !== "CONFIRMED") {
      violations.push({
        invariant: "order-malformed",
        sku: order.sku,
        shopper: order.shopper,
        message: `order ${order.orderId} has status '${String(order.item.status)}', not CONFIRMED`,
      });
    }
    if (Number(order.item.totalCents) !== Number(order.item.priceCents) * order.quantity) {
      violations.push({
        invariant: "order-malformed",
        sku: order.sku,
        shopper: order.shopper,
        message: `order ${order.orderId} charges ${String(order.item.totalCents)} cents for ${order.quantity} × ${String(order.item.priceCents)}`,
      });
    }
    if (!products.has(order.sku)) {
      violations.push({
        invariant: "orders-match-stock",
        sku: order.sku,
        shopper: order.shopper,
        message: `order ${order.orderId} is for '${order.sku}', which is not in the catalog`,
      });
    }
    const perSku = orderedBySku.get(order.sku) ?? { orders: 0, units: 0, shoppers: new Set<string>() };
    perSku.orders++;
    perSku.units += order.quantity;
    perSku.shoppers.add(order.shopper);
    orderedBySku.set(order.sku, perSku);
    const shopperKey = `${order.shopper}\n${order.sku}`;
    orderedByShopper.set(shopperKey, (orderedByShopper.get(shopperKey) ?? 0) + order.quantity);
    const owners = keyOwners.get(order.orderId) ?? [];
    owners.push(`${order.shopper}/${order.sku}`);
    keyOwners.set(order.orderId, owners);
  }
  for (const [orderId, owners] of keyOwners) {
    if (owners.length > 1) {
      violations.push({
        invariant: "idempotency-key-reused",
        message: `idempotency key ${orderId} confirmed ${owners.length} orders (${owners.join(", ")}): one purchase intent was charged more than once`,
      });
    }
  }

  const productAudits: ProductAudit[] = [];
  for (const [sku, { item, shards }] of [...products].sort(([a], [b]) => a.localeCompare(b))) {
    const loadedUnits = Number(item.loadedUnits);
    const shardCount = Number(item.shardCount);
    const shardUnits = Array.from({ length: shardCount }, (_, k) => shards.get(k));
    const missing = shardUnits.flatMap((units, k) => (units === undefined ? [k] : []));
    if (missing.length > 0)
      violations.push({
        invariant: "shards-missing",
        sku,
        message: `'${sku}' has shardCount ${shardCount} but shards ${missing.join(", ")} do not exist`,
      });
    const extra = [...shards.keys()].filter((k) => k >= shardCount);
    if (extra.length > 0)
      violations.push({
        invariant: "stock-conservation",
        sku,
        message: `'${sku}' has stock in shards ${extra.join(", ")} beyond its shardCount ${shardCount}`,
      });
    for (const [k, units] of shards) {
      if (!Number.isInteger(units) || units < 0)
        violations.push({ invariant: "shard-negative", sku, message: `shard ${k} of '${sku}' holds ${units} units` });
    }
    const availableUnits = [...shards.values()].reduce((sum, units) => sum + units, 0);
    const unitsSold = loadedUnits - availableUnits;
    const ordered = orderedBySku.get(sku) ?? { orders: 0, units: 0, shoppers: new Set<string>() };
    if (!Number.isInteger(loadedUnits) || unitsSold < 0) {
      violations.push({
        invariant: "stock-conservation",
        sku,
        message: `'${sku}' has ${availableUnits} units available but only ${String(item.loadedUnits)} were ever loaded`,
      });
    }
    if (ordered.units > unitsSold) {
      violations.push({
        invariant: "orders-match-stock",
        sku,
        message: `OVERSOLD '${sku}': confirmed orders hold ${ordered.units} units but only ${unitsSold} were taken from stock (loaded ${loadedUnits}, available ${availableUnits})`,
      });
    } else if (ordered.units < unitsSold) {
      violations.push({
        invariant: "orders-match-stock",
        sku,
        message: `'${sku}': ${unitsSold} units were taken from stock but confirmed orders hold only ${ordered.units}`,
      });
    }
    productAudits.push({
      sku,
      loadedUnits,
      availableUnits,
      unitsSold,
      orders: ordered.orders,
      orderedUnits: ordered.units,
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
      violations.push({
        invariant: "limit-mismatch",
        sku,
        shopper,
        message: `shopper ${shopper} holds ${ordered} units of '${sku}' in orders but the limit counter says ${counted}`,
      });
    }
    if (ordered > limit || counted > limit) {
      violations.push({
        invariant: "over-limit",
        sku,
        shopper,
        message: `shopper ${shopper} holds ${Math.max(ordered, counted)} units of '${sku}', over the per-customer limit of ${limit}`,
      });
    }
  }

  return {
    ok: violations.length === 0,
    items: items.length,
    products: productAudits,
    orders: orders.length,
    violations,
  };
}
