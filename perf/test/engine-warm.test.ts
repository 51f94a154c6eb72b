import type { EngineBench } from "@flash-sale/local/engine-bench";
import { benchUntilSteady } from "../src/engine/warm";

/** Measures that return these rates in turn, counting how many were taken. */
function measuresOf(rates: number[]) {
  let taken = 0;
  const measure = async (): Promise<EngineBench> => {
    const perSecond = rates[taken++]!;
    return {
      concurrency: 16,
      seconds: 4,
      transactions: perSecond * 4,
      failed: 0,
      perSecond,
      latency: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 },
    };
  };
  return { measure, taken: () => taken };
}

describe("the engine alone, measured until its rate stops rising", () => {
  it("measures again while the rate still rises, and keeps the last once two in a row agree within 5%", async () => {
    // prepare: a JVM still warming (315 → 385 → 440), then steady (452 is within 5% of 440)
    const engine = measuresOf([315, 385, 440, 452, 460]);

    const steady = await benchUntilSteady(engine.measure, { maxRounds: 8 });

    expect(steady.rates).toEqual([315, 385, 440, 452]);
    expect(steady.bench.perSecond).toBe(452);
    expect(steady.steady).toBe(true);
    expect(engine.taken()).toBe(4);
  });

  it("stops after the most rounds allowed and says the rate never settled", async () => {
    const engine = measuresOf([100, 200, 300, 400]);

    const steady = await benchUntilSteady(engine.measure, { maxRounds: 3 });

    expect(steady.rates).toEqual([100, 200, 300]);
    expect(steady.steady).toBe(false);
  });
});
