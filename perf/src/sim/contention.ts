import { DEFAULT_TABLE_WRITE_QUOTA } from "@flash-sale/services/contract";
import { AWS_RULES, FRONT_RULES, type DynamoRules } from "./rules";
import { simulateSale } from "./sale";

export interface ShardRate {
  shards: number;
  /** Purchases/s each shard confirmed while every shard was contended (between the probes). */
  purchasesPerShardPerSecond: number;
  /** Write units the table consumed per unit sold over the whole run, cancelled attempts included. */
  writeUnitsPerPurchase: number;
  attemptsPerPurchase: number;
  conflictShare: number;
  throttledShare: number;
  assumptions: string;
}

/** Steady-state window: after the fleet has scaled out, before arrivals stop. */
const FROM_S = 4;
const TO_S = 12;

/**
 * The rate one stock shard sustains under contention: a sale that cannot sell out (far more units than
 * sold in the run) with shoppers arriving faster than the shards can take them, the front door opened
 * wide (stage throttle at the account quota) and the table warmed to its quota, so only the shards limit the rate. Measured between 4 s and
 * 12 s. This is the figure `stock plan` and the warm-throughput plan use (services capacity.ts).
 */
export async function sustainableShardRate(
  options: { shards?: number; arrivalsPerSecond?: number; seed?: number; dynamo?: DynamoRules } = {},
): Promise<ShardRate> {
  const shards = options.shards ?? 2;
  const arrivalsPerSecond = options.arrivalsPerSecond ?? 400;
  // The table warmed to its default quota: only the shards' own limits (and conflicts) hold the rate back.
  const dynamo = options.dynamo ?? { ...AWS_RULES, tableWriteUnits: DEFAULT_TABLE_WRITE_QUOTA };
  const result = await simulateSale({
    shoppers: arrivalsPerSecond * TO_S,
    units: 1_000_000_000,
    shards,
    arrivalSeconds: TO_S,
    maxSeconds: TO_S,
    seed: options.seed ?? 1,
    dynamo,
    front: { ...FRONT_RULES, stageRps: FRONT_RULES.accountRps, stageBurst: FRONT_RULES.accountBurst },
    probes: [FROM_S, TO_S],
  });
  const [from = 0, to = 0] = result.soldAtProbes;
  const { transactions, conflicts, throttled } = result.table;
  return {
    shards,
    purchasesPerShardPerSecond: (to - from) / (TO_S - FROM_S) / shards,
    writeUnitsPerPurchase: result.writeUnitsPerPurchase,
    attemptsPerPurchase: result.attemptsPerPurchase,
    conflictShare: transactions > 0 ? conflicts / transactions : 0,
    throttledShare: transactions > 0 ? throttled / transactions : 0,
    assumptions: `${shards} shards, ${arrivalsPerSecond} new shoppers/s for ${TO_S} s, steady rate from ${FROM_S} s to ${TO_S} s; conflict window ${dynamo.conflictWindowMs} ms, TransactWriteItems ${dynamo.transactMs} ms, ${dynamo.partitionWriteUnits} WCU/s per partition, ${dynamo.writeUnitsPerTransactionalItem} WCU per transactional item; the domain's own retries (8 attempts within 1.5 s, 10-200 ms jittered backoff)`,
  };
}
