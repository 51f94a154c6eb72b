/**
 * The published rules the simulator applies, each with its source; every figure is an option of
 * `npm run perf -- simulate`. Where AWS publishes no figure, the assumption is named as one.
 */
export interface DynamoRules {
  /** "aws": DynamoDB's rules. "local": DynamoDB Local's behaviour (one engine, no conflicts, no partition limits). */
  mode: "aws" | "local";
  /** Per partition (each stock shard is its own partition key): 1,000 WCU/s and 3,000 RCU/s (DynamoDB developer guide, "Service, account, and table quotas"). */
  partitionWriteUnits: number;
  partitionReadUnits: number;
  /** 2 WCU per item of up to 1 KB in a transactional write (developer guide, "Capacity management for transactions"). */
  writeUnitsPerTransactionalItem: number;
  /**
   * An on-demand table serves up to 4,000 WCU/s and 12,000 RCU/s when new, then up to double its previous
   * peak; traffic above double the peak within 30 minutes may be throttled (developer guide, "On-demand
   * capacity mode", "Initial throughput for on-demand"). Warm throughput, when set, replaces the initial figure.
   */
  tableWriteUnits: number;
  tableReadUnits: number;
  /**
   * How long a transaction holds its items: another transaction touching one of them meanwhile is cancelled
   * with TransactionConflict (developer guide, "Transaction conflict handling"). ASSUMPTION: AWS publishes no
   * duration; a TransactWriteItems runs two phases (prepare, commit) on each item's partition, each about a
   * single-digit-millisecond write, so 10 ms.
   */
  conflictWindowMs: number;
  /** Client-observed latency of a TransactWriteItems (ms): the window plus the network round trip inside a Region. */
  transactMs: number;
  /** Latency of a read (GetItem, Query, BatchGetItem) and of a plain conditional update (ms). ASSUMPTION: single-digit ms, 5. */
  readMs: number;
  /** Local mode: the engine works on one request at a time (measured by the validation's calibration), ms each. */
  localServiceMs?: { transact: number; read: number };
}

export const AWS_RULES: DynamoRules = {
  mode: "aws",
  partitionWriteUnits: 1_000,
  partitionReadUnits: 3_000,
  writeUnitsPerTransactionalItem: 2,
  tableWriteUnits: 4_000,
  tableReadUnits: 12_000,
  conflictWindowMs: 10,
  transactMs: 12,
  readMs: 5,
};

/** Lambda and API Gateway, with sources. */
export interface FrontRules {
  /** Account concurrency: 1,000 by default in a Region (Lambda quotas). */
  accountConcurrency: number;
  /** Each function scales by 1,000 execution environments every 10 seconds (Lambda "scaling behavior"). */
  scaleOutPer10s: number;
  /** A new environment's init (Node.js, SDK clients): ASSUMPTION 300 ms. */
  coldStartMs: number;
  /** API Gateway plus the Lambda invoke, per request, ASSUMPTION 10 ms. */
  gatewayMs: number;
  /** API Gateway's account quota: 10,000 requests/s with a bucket of 5,000 (API Gateway quotas, knowledge center "api-gateway-429-limit"). */
  accountRps: number;
  accountBurst: number;
  /** The stage's default route throttle: infra/src/config.ts apiThrottleRateLimit / apiThrottleBurstLimit. */
  stageRps: number;
  stageBurst: number;
  /** Lambda memory (MB), for the cost. */
  memoryMb: number;
}

export const FRONT_RULES: FrontRules = {
  accountConcurrency: 1_000,
  scaleOutPer10s: 1_000,
  coldStartMs: 300,
  gatewayMs: 10,
  accountRps: 10_000,
  accountBurst: 5_000,
  stageRps: 2_000,
  stageBurst: 1_000,
  memoryMb: 1_024,
};
