interface Event {
  at: number;
  seq: number;
  run: () => void;
  /** The callback settles promises: their continuations run (and schedule what they schedule) before the next event. */
  settles: boolean;
}

/**
 * A discrete-event clock: nothing sleeps, time jumps from one event to the next. The domain's own async code
 * (promises) runs between events: after an event that settles a promise, every continuation it starts has
 * run before time moves on, so an outcome can never be observed "before" it happened.
 */
export class VirtualTime {
  now = 0;
  private readonly heap: Event[] = [];
  private seq = 0;

  /** Runs `run` at virtual instant `at` (never earlier than now). */
  at(at: number, run: () => void, settles = false): void {
    this.push({ at: Math.max(at, this.now), seq: this.seq++, run, settles });
  }

  /** A promise that resolves `ms` of virtual time from now: the domain's `sleep`. */
  sleep = (ms: number): Promise<void> => new Promise((resolve) => this.at(this.now + Math.max(0, ms), resolve, true));

  /** Resolves with `value` at `at`. */
  resolveAt<T>(at: number, value: T): Promise<T> {
    return new Promise((resolve) => this.at(at, () => resolve(value), true));
  }

  clock = (): number => this.now;

  /** Processes events in time order until none is left or `until` returns true (checked between events). */
  async run(until: () => boolean = () => false): Promise<void> {
    await drainMicrotasks();
    while (this.heap.length > 0 && !until()) {
      const event = this.pop()!;
      this.now = event.at;
      event.run();
      if (event.settles) await drainMicrotasks();
    }
  }

  get pending(): number {
    return this.heap.length;
  }

  // A binary heap sifting a hole rather than swapping pairs: the queue holds every shopper waiting to retry.
  private push(event: Event): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (!before(event, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): Event | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    let i = 0;
    const size = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

const before = (a: Event, b: Event) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** setImmediate runs after every queued microtask, and after the microtasks those queue. */
const drainMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));
