import { behaviourOf, CheckoutBuyers, checkoutGoals, checkoutReport } from "../src/scenario/checkout";

const created = (orderId: string, holdExpiresAt = "2026-12-05T18:00:30.000Z", status = "PENDING_PAYMENT") =>
  JSON.stringify({
    order: { orderId, status, quantity: 1, holdExpiresAt, checkoutUrl: `http://127.0.0.1:1/pay/${orderId}` },
  });

describe("held checkout buyers", () => {
  it("splits buyers 80% pay, 10% abandon, 10% declined", () => {
    expect([0, 0.79, 0.8, 0.89, 0.9, 0.99].map(behaviourOf)).toEqual([
      "pay",
      "pay",
      "abandon",
      "abandon",
      "decline",
      "decline",
    ]);
  });

  it("takes each hold once, schedules a payment for payers and decliners only, never for an instant order", () => {
    const draws = [0.1, 0.5, 0.85, 0.95, 0.5];
    const buyers = new CheckoutBuyers(() => draws.shift() ?? 0.5, [60_000, 60_000]);
    buyers.onCreated(created("a"), "s1"); // pay (+ delay draw)
    buyers.onCreated(created("a"), "s1"); // a re-sent intent: the same order
    buyers.onCreated(created("b"), "s2"); // abandon
    buyers.onCreated(created("c"), "s3"); // decline (+ delay draw)
    buyers.onCreated(created("d", undefined, "CONFIRMED"), "s4");
    buyers.onCreated("not json", "s5");
    expect([...buyers.holds.values()].map((h) => [h.orderId, h.shopper, h.behaviour])).toEqual([
      ["a", "s1", "pay"],
      ["b", "s2", "abandon"],
      ["c", "s3", "decline"],
    ]);
    expect(buyers.outstanding()).toBe(2);
    buyers.stop();
    expect(buyers.outstanding()).toBe(0);
  });

  it("reports how each hold ended, expiry-to-return percentiles and the goals", () => {
    const buyers = new CheckoutBuyers(() => 0.85, [60_000, 60_000]);
    for (const id of ["a", "b", "c"]) buyers.onCreated(created(id), id);
    const holds = [...buyers.holds.values()];
    const expiry = Date.parse("2026-12-05T18:00:30.000Z");
    const report = checkoutReport(
      holds,
      new Map([
        ["a", expiry + 1_000],
        ["b", expiry + 3_000],
      ]),
      new Map([
        ["a", "EXPIRED"],
        ["b", "REFUNDED"],
        ["c", "PENDING_PAYMENT"],
      ]),
      new Map([["c", "2026-12-05T18:00:40.000Z"]]),
      500,
    );
    expect(report).toMatchObject({ holds: 3, abandoned: 3, expired: 2, refunded: 1, unended: 1, unitsResold: 1 });
    expect(report.expiryToReturnMs).toMatchObject({ p50: 1_000, p99: 3_000, count: 2 });
    const goals = checkoutGoals(report, true, "0 violations");
    expect(goals.map((g) => g.met)).toEqual([false, true, true]);
  });
});
