/** Replies slower than this say too little about when the server wrote its time: ignored. */
export const MAX_ROUND_TRIP_MS = 5_000;
/** How many recent replies the estimate draws on. */
export const SAMPLE_WINDOW = 30;

/**
 * The server's clock as seen from the browser. Each reply that carries the server's time gives an estimate of
 * (server time − browser monotonic time), corrected for latency by assuming the server wrote its time halfway
 * through the round trip. Replies served from a cache (the edge keeps the feed up to a second) or stamped with
 * a snapshot's read time can only be older than that, never newer, so the estimate is the highest of the recent
 * ones. Time is carried on `performance.now()`, so a browser clock set wrong, or changed while the page is open,
 * makes no difference.
 */
export class ServerClock {
  private readonly estimates: number[] = [];
  private offset: number | undefined;

  constructor(
    private readonly monotonic: () => number = () => performance.now(),
    private readonly wallClock: () => number = () => Date.now(),
  ) {}

  /**
   * One reply: the server's time (ms since the epoch) and when the request was sent and its answer received
   * (monotonic ms). A time known only to be no later than the answer (a snapshot's `asOf`) passes
   * `sentAt = receivedAt`. Returns whether the estimate moved.
   */
  observe(serverTime: number, sentAt: number, receivedAt: number): boolean {
    const roundTrip = receivedAt - sentAt;
    if (!Number.isFinite(serverTime) || !(roundTrip >= 0) || roundTrip > MAX_ROUND_TRIP_MS) return false;
    this.estimates.push(serverTime - (sentAt + receivedAt) / 2);
    if (this.estimates.length > SAMPLE_WINDOW) this.estimates.shift();
    const previous = this.offset;
    this.offset = Math.max(...this.estimates);
    return this.offset !== previous;
  }

  /** The server's time now (ms since the epoch); the browser's own clock until a reply has been seen. */
  now(): number {
    return this.offset === undefined ? this.wallClock() : this.monotonic() + this.offset;
  }

  get synchronized(): boolean {
    return this.offset !== undefined;
  }
}
