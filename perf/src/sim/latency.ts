/** Answer times in whole milliseconds (up to a minute), counted with weights, for percentiles without keeping every answer. */
export class LatencyCounts {
  private readonly counts = new Float64Array(60_001);
  total = 0;

  add(ms: number, weight = 1): void {
    this.counts[Math.min(60_000, Math.max(0, Math.round(ms)))]! += weight;
    this.total += weight;
  }

  percentile(p: number): number {
    let seen = 0;
    const wanted = (p / 100) * this.total;
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms]!;
      if (seen >= wanted && seen > 0) return ms;
    }
    return 0;
  }
}
