import { auditItems, type PaymentRecord } from "@flash-sale/services/store";

/** A payment product: 10 units loaded in 2 shards, 1 sold (paid), 1 held, 1 expired (units back). */
function checkoutTable() {
  const sku = "drop";
  const order = (shopper: string, orderId: string, status: string) => ({
    pk: `SHOPPER#${shopper}`,
    sk: `ORDER#${orderId}`,
    type: "ORDER",
    shopper,
    orderId,
    sku,
    quantity: 1,
    priceCents: 5_000,
    totalCents: 5_000,
    currency: "EUR",
    createdAt: "2026-12-05T18:00:00.000Z",
    status,
    ...(status === "PENDING_PAYMENT" ? { holdExpiresAt: "2026-12-05T18:00:30.000Z" } : {}),
  });
  const items: Array<Record<string, unknown>> = [
    {
      pk: "CATALOG",
      sk: `PRODUCT#${sku}`,
      sku,
      loadedUnits: 10,
      shardCount: 2,
      perCustomerLimit: 2,
      checkout: "payment",
      holdSeconds: 30,
    },
    { pk: `STOCK#${sku}#0`, sk: "STOCK", units: 4 },
    { pk: `STOCK#${sku}#1`, sk: "STOCK", units: 4 },
    order("alice", "paid-1", "CONFIRMED"),
    order("bob", "held-1", "PENDING_PAYMENT"),
    order("carol", "gone-1", "EXPIRED"),
    { pk: "SHOPPER#alice", sk: `LIMIT#${sku}`, units: 1 },
    { pk: "SHOPPER#bob", sk: `LIMIT#${sku}`, units: 1 },
    { pk: "SHOPPER#carol", sk: `LIMIT#${sku}`, units: 0 },
    {
      pk: "HOLDS#2026-12-05T18:00#3",
      sk: "2026-12-05T18:00:30.000Z#held-1",
      type: "HOLD",
      shopper: "bob",
      orderId: "held-1",
    },
  ];
  const payments: PaymentRecord[] = [
    { sessionId: "cs_1", orderId: "paid-1", amountCents: 5_000, paid: true, refundedCents: 0 },
    { sessionId: "cs_2", orderId: "held-1", amountCents: 5_000, paid: false, refundedCents: 0 },
  ];
  return { items, payments };
}

const invariants = (report: ReturnType<typeof auditItems>) => report.violations.map((v) => v.invariant);

describe("extended audit: held checkout and payments", () => {
  it("passes a table with sold, held and expired orders and their payments", () => {
    const { items, payments } = checkoutTable();
    const report = auditItems(items, payments);
    expect(report.violations).toEqual([]);
    expect(report.products[0]).toMatchObject({ loadedUnits: 10, availableUnits: 8, orderedUnits: 1, heldUnits: 1 });
  });

  it("catches a shard off by one: loaded ≠ available + held + sold", () => {
    const { items, payments } = checkoutTable();
    const shard = items.find((item) => item.pk === "STOCK#drop#1");
    if (shard) shard.units = 5;
    expect(invariants(auditItems(items, payments))).toEqual(["orders-match-stock"]);
    if (shard) shard.units = 3;
    const report = auditItems(items, payments);
    expect(invariants(report)).toEqual(["orders-match-stock"]);
    expect(report.violations[0]?.message).toContain("1 sold + 1 held");
  });

  it("catches a CONFIRMED order without a payment, paid twice, or paid the wrong amount", () => {
    const { items, payments } = checkoutTable();
    expect(invariants(auditItems(items, payments.slice(1)))).toEqual(["payment-missing"]);
    const twice = [
      ...payments,
      { sessionId: "cs_3", orderId: "paid-1", amountCents: 5_000, paid: true, refundedCents: 0 },
    ];
    expect(auditItems(items, twice).violations[0]?.message).toContain("paid 2 times");
    const wrong = [{ ...payments[0], amountCents: 4_999 } as PaymentRecord, ...payments.slice(1)];
    expect(auditItems(items, wrong).violations[0]?.message).toContain("was paid 4999");
  });

  it("catches a payment without a CONFIRMED or REFUNDED order", () => {
    const { items, payments } = checkoutTable();
    const stray = { sessionId: "cs_9", orderId: "nobody", amountCents: 5_000, paid: true, refundedCents: 0 };
    const report = auditItems(items, [...payments, stray]);
    expect(invariants(report)).toEqual(["payment-orphan"]);
    expect(report.violations[0]?.message).toContain("does not exist");
    const onExpired = { ...stray, orderId: "gone-1" };
    expect(auditItems(items, [...payments, onExpired]).violations[0]?.message).toContain("EXPIRED");
  });

  it("accepts a late payment refunded in full on a REFUNDED order, not one kept", () => {
    const { items, payments } = checkoutTable();
    const gone = items.find((item) => item.orderId === "gone-1");
    if (gone) gone.status = "REFUNDED";
    const late = { sessionId: "cs_4", orderId: "gone-1", amountCents: 5_000, paid: true, refundedCents: 5_000 };
    expect(auditItems(items, [...payments, late]).violations).toEqual([]);
    expect(invariants(auditItems(items, [...payments, { ...late, refundedCents: 0 }]))).toEqual(["payment-orphan"]);
  });

  it("catches an allowance that is not held + confirmed units", () => {
    const { items, payments } = checkoutTable();
    const carol = items.find((item) => item.pk === "SHOPPER#carol" && item.sk === "LIMIT#drop");
    if (carol) carol.units = 1; // the expired hold never gave its allowance back
    const bob = items.find((item) => item.pk === "SHOPPER#bob" && item.sk === "LIMIT#drop");
    if (bob) bob.units = 0; // the held unit was never counted
    const report = auditItems(items, payments);
    expect(invariants(report)).toEqual(["limit-mismatch", "limit-mismatch"]);
  });

  it("catches a hold left in the expiry index for an order that is not PENDING_PAYMENT", () => {
    const { items, payments } = checkoutTable();
    items.push({ pk: "HOLDS#2026-12-05T18:00#7", sk: "x#paid-1", type: "HOLD", shopper: "alice", orderId: "paid-1" });
    items.push({ pk: "HOLDS#2026-12-05T18:00#8", sk: "x#ghost", type: "HOLD", shopper: "dan", orderId: "ghost" });
    const report = auditItems(items, payments);
    expect(invariants(report)).toEqual(["hold-index-stale", "hold-index-stale"]);
    expect(report.violations[0]?.message).toContain("CONFIRMED, not PENDING_PAYMENT");
    expect(report.violations[1]?.message).toContain("does not exist");
  });

  it("still flags an order whose status no order can have", () => {
    const { items, payments } = checkoutTable();
    const paid = items.find((item) => item.orderId === "paid-1");
    if (paid) paid.status = "LOST";
    expect(invariants(auditItems(items, payments))).toContain("order-malformed");
  });
});
