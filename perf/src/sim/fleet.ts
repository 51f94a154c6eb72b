import { Shop, StoreUnavailableError } from "@flash-sale/services/domain";
import type { PurchaseRequest } from "@flash-sale/services/contract";
import { DEFAULT_DEADLINE_MS, PURCHASE_ERROR_STATUS } from "@flash-sale/services/http";
import type { FrontRules } from "./rules";
import type { SimTable } from "./sim-table";
import { TokenBucket } from "./token-bucket";
import type { VirtualTime } from "./virtual-time";

/** What a shopper's browser gets back. */
export interface Answer {
  status: number;
  /** The contract's error code, or CONFIRMED. */
  code: string;
  /** Seconds, from the Retry-After header (503 TRY_AGAIN sends 1). */
  retryAfterSeconds?: number;
}

export interface FleetStats {
  /** Requests API Gateway passed to Lambda (billed). */
  invocations: number;
  /** 429: over the stage's throttle or the account's quota. */
  gatewayThrottled: number;
  /** 500: Lambda refused the invoke (no environment free and none may start); API Gateway answers 500. */
  lambdaThrottled: number;
  coldStarts: number;
  /** Lambda time (ms), init included. */
  billedMs: number;
  peakEnvironments: number;
}

/**
 * API Gateway in front of one purchase function: the stage throttle and the account quota (token buckets),
 * then an execution environment (a warm one, or a new one if the account's concurrency and the function's
 * scale-out rate allow, after a cold start), each environment one `Shop` of the real domain, serving one
 * request at a time, with the handler's deadline and its 503 for an engine fault.
 */
export class Fleet {
  readonly stats: FleetStats = {
    invocations: 0,
    gatewayThrottled: 0,
    lambdaThrottled: 0,
    coldStarts: 0,
    billedMs: 0,
    peakEnvironments: 0,
  };
  private readonly idle: Shop[] = [];
  private environments = 0;
  private readonly stage: TokenBucket;
  private readonly account: TokenBucket;
  private readonly scaleOut: TokenBucket;
  private ids = 0;

  constructor(
    private readonly time: VirtualTime,
    private readonly table: SimTable,
    private readonly rules: FrontRules,
    private readonly random: () => number,
  ) {
    this.stage = new TokenBucket(rules.stageRps, rules.stageBurst);
    this.account = new TokenBucket(rules.accountRps, rules.accountBurst);
    this.scaleOut = new TokenBucket(rules.scaleOutPer10s / 10, rules.scaleOutPer10s);
  }

  /**
   * API Gateway's and Lambda's decision for a request sent now, made at once so that a refused request costs
   * the simulation no promise: a 429 (stage throttle or account quota), a 500 (Lambda throttled the invoke:
   * no environment free and none may start; API Gateway answers 500), or the environment that serves it.
   */
  admit(): { refused: Answer } | { shop: Shop; coldStartMs: number } {
    const { time, rules } = this;
    const now = time.now;
    if (!this.stage.holds(now, 1) || !this.account.holds(now, 1)) {
      this.stats.gatewayThrottled++;
      return { refused: { status: 429, code: "TOO_MANY_REQUESTS" } };
    }
    this.stage.take(now, 1);
    this.account.take(now, 1);
    const warm = this.idle.pop();
    if (warm) {
      this.stats.invocations++;
      return { shop: warm, coldStartMs: 0 };
    }
    if (this.environments >= rules.accountConcurrency || !this.scaleOut.take(now, 1)) {
      this.stats.lambdaThrottled++;
      return { refused: { status: 500, code: "INTERNAL_ERROR" } };
    }
    this.stats.invocations++;
    this.stats.coldStarts++;
    return { shop: this.newShop(), coldStartMs: rules.coldStartMs };
  }

  /**
   * The admitted request, answered through the handler and back through API Gateway (both ways counted
   * before the work, one wait instead of two). Past the handler's deadline the answer is 503 TRY_AGAIN, as
   * the handler answers; the work (and the environment) goes on to its end either way.
   */
  async serve(shop: Shop, coldStartMs: number, request: PurchaseRequest): Promise<Answer> {
    const { time, rules } = this;
    await time.sleep(rules.gatewayMs + coldStartMs);
    const started = time.now;
    const answer = await this.handle(shop, request);
    this.stats.billedMs += time.now - started + coldStartMs;
    this.idle.push(shop);
    return time.now - started > DEFAULT_DEADLINE_MS ? tryAgain : answer;
  }

  private newShop(): Shop {
    this.environments++;
    this.stats.peakEnvironments = Math.max(this.stats.peakEnvironments, this.environments);
    return new Shop(this.table, {
      clock: this.time.clock,
      sleep: this.time.sleep,
      random: this.random,
      // Deterministic ids: the table keys nothing on them, and the same seed must give the same sale.
      newRequestId: () => `r${this.ids++}`,
    });
  }

  private async handle(shop: Shop, request: PurchaseRequest): Promise<Answer> {
    try {
      const result = await shop.purchase(request);
      if (result.ok) return { status: result.replayed ? 200 : 201, code: "CONFIRMED" };
      if (result.code === "TRY_AGAIN") return tryAgain;
      return { status: PURCHASE_ERROR_STATUS[result.code], code: result.code };
    } catch (error) {
      if (error instanceof StoreUnavailableError) return tryAgain;
      throw error;
    }
  }
}

const tryAgain: Answer = { status: 503, code: "TRY_AGAIN", retryAfterSeconds: 1 };
