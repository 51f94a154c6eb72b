import { SIMULATED_PURCHASES_PER_SHARD_PER_SECOND, planCapacity } from "@flash-sale/services/contract";
import { sustainableShardRate } from "../src/sim/contention";

test("capacity.ts's per-shard rate is still what the simulator finds under contention (within 10%)", async () => {
  const rate = await sustainableShardRate();

  expect(rate.purchasesPerShardPerSecond).toBeGreaterThan(SIMULATED_PURCHASES_PER_SHARD_PER_SECOND * 0.9);
  expect(rate.purchasesPerShardPerSecond).toBeLessThan(SIMULATED_PURCHASES_PER_SHARD_PER_SECOND * 1.1);
  expect(planCapacity(1_000).purchasesPerShardPerSecond).toBe(SIMULATED_PURCHASES_PER_SHARD_PER_SECOND);
}, 180_000);
