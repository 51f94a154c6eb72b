/**
 * A token bucket: `rate` tokens a second, holding at most `burst`. DynamoDB's partitions and API Gateway's
 * quotas both behave this way (API Gateway says so in its throttling documentation; for a partition it is
 * the usual model of "1,000 WCU per second" with a second's worth of burst).
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt = 0;

  constructor(
    private rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes `amount` tokens at `now` (ms) if the bucket holds them; false (nothing taken) otherwise. */
  take(now: number, amount: number): boolean {
    if (!this.holds(now, amount)) return false;
    this.tokens -= amount;
    return true;
  }

  /** The bucket holds `amount` tokens at `now`. */
  holds(now: number, amount: number): boolean {
    this.refill(now);
    return this.tokens >= amount;
  }

  /** Takes `amount` even if it drives the bucket below 0 (a charge that cannot be refused). */
  charge(now: number, amount: number): void {
    this.refill(now);
    this.tokens -= amount;
  }

  setRate(rate: number): void {
    this.rate = rate;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1_000) * this.rate);
    this.updatedAt = now;
  }
}
