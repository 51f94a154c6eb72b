import { composeMail, formatMoney } from "../src/domain/mail";
import { type OrderImage, orderEventOf } from "../src/domain/order-events";
import type { Order, OrderStatus } from "../src/domain/types";

/** Which write of an order item is which event, and what its mail says (pure: no table). */

const order = (status: OrderStatus, extra: Partial<Order> = {}): OrderImage => ({
  shopper: "shopper-1",
  order: {
    orderId: "0b6c4f1e-order",
    sku: "sneaker",
    quantity: 2,
    priceCents: 12_999,
    totalCents: 25_998,
    currency: "EUR",
    createdAt: "2026-12-05T20:00:00.000Z",
    status,
    ...extra,
  },
});

test("an instant purchase written CONFIRMED is an order confirmed", () => {
  expect(orderEventOf(undefined, order("CONFIRMED"))?.kind).toBe("confirmed");
});

test("a held order paid (PENDING_PAYMENT to CONFIRMED) is an order confirmed", () => {
  expect(orderEventOf(order("PENDING_PAYMENT"), order("CONFIRMED"))?.kind).toBe("confirmed");
});

test("a late payment re-taking units (EXPIRED to CONFIRMED) is an order confirmed", () => {
  expect(orderEventOf(order("EXPIRED"), order("CONFIRMED"))?.kind).toBe("confirmed");
});

test.each([
  ["PENDING_PAYMENT", "EXPIRED", "expired"],
  ["CONFIRMED", "REFUNDED", "refunded"],
  ["EXPIRED", "REFUNDED", "refunded"],
  ["PENDING_PAYMENT", "CANCELLED", "cancelled"],
] as const)("%s to %s is %s", (from, to, kind) => {
  const event = orderEventOf(order(from), order(to));
  expect(event).toEqual({ kind, shopper: "shopper-1", order: order(to).order, from });
});

test("a new PENDING_PAYMENT order is held, from no status (the tally counts its units as held)", () => {
  expect(orderEventOf(undefined, order("PENDING_PAYMENT"))).toEqual({
    kind: "held",
    shopper: "shopper-1",
    order: order("PENDING_PAYMENT").order,
  });
});

test("a confirmed order says which status it left: a paid hold held units, an instant purchase did not", () => {
  expect(orderEventOf(order("PENDING_PAYMENT"), order("CONFIRMED"))?.from).toBe("PENDING_PAYMENT");
  expect(orderEventOf(undefined, order("CONFIRMED"))).not.toHaveProperty("from");
});

test("a write that keeps the status and a deleted item are no event", () => {
  expect(
    orderEventOf(order("PENDING_PAYMENT"), order("PENDING_PAYMENT", { checkoutUrl: "https://pay" })),
  ).toBeUndefined();
  expect(orderEventOf(order("CONFIRMED"), order("CONFIRMED", { statusReason: "noted" }))).toBeUndefined();
  expect(orderEventOf(order("CONFIRMED"), undefined)).toBeUndefined();
});

test("the confirmation names the order number, product, quantity and total in its currency", () => {
  const mail = composeMail({ kind: "confirmed", ...order("CONFIRMED") }, "Limited sneaker");

  expect(mail).toMatchObject({ id: "0b6c4f1e-order#confirmed", shopper: "shopper-1" });
  expect(mail?.subject).toBe("Order confirmed: Limited sneaker");
  expect(mail?.text).toContain("Order number: 0b6c4f1e-order");
  expect(mail?.text).toContain("2 × Limited sneaker");
  expect(mail?.text).toContain("Total: €259.98");
});

test("the expiry mail says the hold ran out and nothing was charged", () => {
  const mail = composeMail({ kind: "expired", ...order("EXPIRED") }, "Limited sneaker");

  expect(mail?.subject).toBe("Your hold on Limited sneaker has expired");
  expect(mail?.text).toContain("You were not charged");
});

test("the refund mail gives the amount and the reason", () => {
  const refunded = order("REFUNDED", { statusReason: "Paid after the hold ended and the units were sold." });
  const mail = composeMail({ kind: "refunded", ...refunded }, "Limited sneaker");

  expect(mail?.text).toContain("We refunded €259.98");
  expect(mail?.text).toContain("Why: Paid after the hold ended and the units were sold.");
});

test("a cancellation, which the shopper made on the page, and a new hold send no mail", () => {
  expect(composeMail({ kind: "cancelled", ...order("CANCELLED") }, "Limited sneaker")).toBeUndefined();
  expect(composeMail({ kind: "held", ...order("PENDING_PAYMENT") }, "Limited sneaker")).toBeUndefined();
});

test("money is formatted in each currency's notation", () => {
  expect(formatMoney(129_900, "USD")).toBe("$1,299.00");
  expect(formatMoney(1_250, "EUR")).toBe("€12.50");
});
