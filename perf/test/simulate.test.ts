import { AWS_RULES, FRONT_RULES } from "../src/sim/rules";
import { type SaleScenario, simulateSale } from "../src/sim/sale";

/** A small sale: seconds of wall time, the real domain over the simulated table. */
const small = (overrides: Partial<SaleScenario> = {}): SaleScenario => ({
  shoppers: 1_000,
  units: 400,
  shards: 1,
  arrivalSeconds: 3,
  maxSeconds: 60,
  seed: 7,
  dynamo: AWS_RULES,
  front: FRONT_RULES,
  ...overrides,
});

describe("the sale simulator", () => {
  test("more shards sell out faster while the table has room", async () => {
    const one = await simulateSale(small({ shards: 1 }));
    const four = await simulateSale(small({ shards: 4 }));

    expect(four.soldOut).toBe(true);
    expect(four.sellOutSeconds).toBeLessThan(one.sellOutSeconds);
    expect(four.confirmedPerSecond).toBeGreaterThan(2 * one.confirmedPerSecond);
  });

  test("transactions overlapping on one shard conflict, and none do without an overlap window", async () => {
    const overlapping = await simulateSale(small({ shards: 1 }));
    const instant = await simulateSale(small({ shards: 1, dynamo: { ...AWS_RULES, conflictWindowMs: 0 } }));

    expect(overlapping.table.conflicts).toBeGreaterThan(0);
    expect(instant.table.conflicts).toBe(0);
  });

  test("a shard's partition throttles beyond 1,000 write units/s, and a throttled attempt is not billed", async () => {
    const sale = await simulateSale(small({ shards: 1 }));

    expect(sale.table.throttled).toBeGreaterThan(0);
    // Billed: every transaction that was not throttled, 3 items at 2 WCU each.
    expect(sale.table.purchaseWriteUnits).toBe((sale.table.transactions - sale.table.throttled) * 6);
  });

  test("never sells more than was loaded, and each confirmation is one shopper's one unit", async () => {
    const sale = await simulateSale(small({ shoppers: 1_200, units: 300, shards: 4 }));

    expect(sale.soldUnits).toBe(300);
    expect(sale.answers.confirmed).toBe(300);
    expect(sale.answers.other).toBe(0);
    expect(sale.answers.soldOut + sale.gaveUp + sale.answers.confirmed).toBeLessThanOrEqual(1_200);
  });

  test("the same seed gives the same sale", async () => {
    const first = await simulateSale(small({ shoppers: 800, units: 200, shards: 2 }));
    const second = await simulateSale(small({ shoppers: 800, units: 200, shards: 2 }));

    expect({ ...second, wallMs: 0 }).toEqual({ ...first, wallMs: 0 });
  });

  test("DynamoDB Local's rules: no conflicts and no throttling, so every cancelled attempt is a failed condition", async () => {
    const sale = await simulateSale(
      small({ shards: 4, dynamo: { ...AWS_RULES, mode: "local", localServiceMs: { transact: 3, read: 1 } } }),
    );

    expect(sale.table.conflicts).toBe(0);
    expect(sale.table.throttled).toBe(0);
    expect(sale.table.transactions).toBe(sale.table.confirmed + sale.table.conditionFailed);
  });
});
