/**
 * What one Lambda function's concurrency limit does to a burst, for the local gateway: at most
 * `maxInFlight` requests run at once, a short queue waits for a free slot, and everything beyond is
 * turned away at once (a throttle) instead of queueing without bound in front of a busy engine.
 * Turned-away requests cost no handler call and no engine work, so the ones admitted stay fast.
 */
export interface ConcurrencyLimit {
  /** Requests running at once (Lambda: the function's concurrency). */
  maxInFlight: number;
  /** Requests waiting for a slot; beyond this a request is shed at once. */
  maxQueue: number;
  /** A queued request still waiting after this long is shed rather than served late. */
  maxQueueWaitMs: number;
}

export type Release = () => void;

export class FunctionConcurrency {
  private inFlight = 0;
  private readonly queue: Array<{
    admit: (release: Release | undefined) => void;
    timer: ReturnType<typeof setTimeout>;
  }> = [];
  /** Requests turned away since the start, for logs and tests. */
  shed = 0;

  constructor(readonly limit: ConcurrencyLimit) {}

  /** A slot (call the release when the request is done), or undefined: shed this request. */
  acquire(): Promise<Release | undefined> {
    if (this.inFlight < this.limit.maxInFlight) return Promise.resolve(this.take());
    if (this.queue.length >= this.limit.maxQueue) return Promise.resolve(this.turnAway());
    return new Promise((admit) => {
      const waiter = {
        admit,
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          admit(this.turnAway());
        }, this.limit.maxQueueWaitMs),
      };
      this.queue.push(waiter);
    });
  }

  private take(): Release {
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      const next = this.queue.shift();
      if (next) {
        clearTimeout(next.timer);
        next.admit(this.take());
      }
    };
  }

  private turnAway(): undefined {
    this.shed++;
    return undefined;
  }
}
