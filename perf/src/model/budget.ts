/**
 * Per-partition write budget: a token bucket per partition key that refills at `unitsPerSecond` and
 * holds at most one second's worth (DynamoDB's per-partition limit, scaled down for a laptop).
 *
 * Every bucket starts EMPTY when the budget starts (or is reset) and fills from then on, so a hot key
 * seen for the first time has no second's worth of units saved up: a full bucket would hand each row a
 * free burst worth a second of its capacity, which inflates short, low-shard rows most.
 */
export class PartitionBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private origin: number;

  constructor(
    readonly unitsPerSecond: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(unitsPerSecond > 0)) throw new Error(`the per-partition budget must be positive, got ${unitsPerSecond}`);
    this.origin = clock();
  }

  /** Forgets every partition: from now on each one starts empty again. */
  reset(): void {
    this.buckets.clear();
    this.origin = this.clock();
  }

  /**
   * Takes `units` from every partition in `charges` if ALL of them can pay; otherwise takes nothing and
   * returns the partitions that could not (a throttled request is not charged; an accepted one is, even
   * when its condition later fails).
   */
  take(charges: ReadonlyArray<{ partition: string; units: number }>): string[] {
    const now = this.clock();
    const perPartition = new Map<string, number>();
    for (const { partition, units } of charges) perPartition.set(partition, (perPartition.get(partition) ?? 0) + units);
    const short: string[] = [];
    for (const [partition, units] of perPartition) {
      const bucket = this.refill(partition, now);
      if (bucket.tokens < units) short.push(partition);
    }
    if (short.length > 0) return short;
    for (const [partition, units] of perPartition) this.refill(partition, now).tokens -= units;
    return [];
  }

  private refill(partition: string, now: number): { tokens: number; at: number } {
    let bucket = this.buckets.get(partition);
    if (!bucket) {
      // Empty at the origin, filling since: as if every partition had existed, unused, since then.
      bucket = { tokens: 0, at: this.origin };
      this.buckets.set(partition, bucket);
    }
    bucket.tokens = Math.min(this.unitsPerSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.unitsPerSecond);
    bucket.at = now;
    return bucket;
  }
}
