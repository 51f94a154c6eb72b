import type { ShardTake } from "./ports";

/** A write under way, from `hold`: its units are left alone by other plans until `release`. */
export interface HeldWrite {
  sku: string;
  takes: readonly ShardTake[];
  /** The snapshot the write was planned on. */
  generation: number;
  release(): void;
}

export type StockPlan =
  | { kind: "take"; takes: ShardTake[] }
  | { kind: "sold-out" }
  | { kind: "insufficient"; available: number }
  /** Enough units are believed left, but this container's writes under way are taking them: their outcome decides. */
  | { kind: "held" };

interface ProductBelief {
  /** Units per shard as of the last snapshot. */
  snapshot: number[];
  snapshotReadAt: number;
  /** Counts the snapshots applied: a write under way across a change of snapshot may be counted in the new one. */
  generation: number;
  /** What this container learned since: an upper bound per shard, and when it learned it. */
  bounds: Array<{ atMost: number; at: number } | undefined>;
}

/**
 * What one container believes about each product's shards. Stock only falls during a sale, so every
 * observation is an upper bound that stays true until a newer snapshot (which would show a refill).
 * This is what lets a container stop writing once it has seen every shard empty.
 */
export class StockKnowledge {
  private readonly beliefs = new Map<string, ProductBelief>();
  /** Products the store's consistent check found sold out (and flagged), until a snapshot shows units again. */
  private readonly confirmedSoldOut = new Set<string>();
  /** The consistent sold-out check under way per product: every request that meets an empty belief awaits it. */
  private readonly soldOutChecks = new Map<string, Promise<boolean>>();
  /** Units per shard that this container's unfinished writes are taking, by product. */
  private readonly held = new Map<string, number[]>();
  private readonly settlementWaiters = new Map<string, Array<() => void>>();

  applySnapshot(sku: string, units: number[], readAt: number): void {
    const previous = this.beliefs.get(sku);
    const bounds = units.map((_, shard) => {
      const bound = previous?.bounds[shard];
      // An observation made after the snapshot was read is fresher than the snapshot.
      return bound && bound.at > readAt ? bound : undefined;
    });
    this.beliefs.set(sku, {
      snapshot: [...units],
      snapshotReadAt: readAt,
      generation: (previous?.generation ?? 0) + 1,
      bounds,
    });
    if (units.some((shardUnits) => shardUnits > 0)) this.confirmedSoldOut.delete(sku);
  }

  /**
   * Whether `sku` is sold out, once this container's belief says every shard is empty. The belief is only
   * an upper bound while stock falls: an add, a reshard or a returned hold can raise a shard, so "empty"
   * is answered by `check`, the store's consistent read of every live shard (which flags the catalog), run
   * once per container at a time: a request arriving while it runs awaits the same answer rather than
   * being told SOLD_OUT before it. A "no" applies the shards the check read (the current shard count's),
   * so the next plan sees them. After a "yes", no check runs again until a snapshot shows units.
   */
  confirmSoldOut(
    sku: string,
    check: () => Promise<{ soldOut: true } | { soldOut: false; units: number[]; readAt: number }>,
  ): Promise<boolean> {
    if (this.confirmedSoldOut.has(sku)) return Promise.resolve(true);
    let running = this.soldOutChecks.get(sku);
    if (!running) {
      running = check()
        .then((answer) => {
          if (answer.soldOut) this.confirmedSoldOut.add(sku);
          else this.applySnapshot(sku, answer.units, answer.readAt);
          return answer.soldOut;
        })
        .finally(() => this.soldOutChecks.delete(sku));
      this.soldOutChecks.set(sku, running);
    }
    return running;
  }

  /** Believed units per shard, or undefined before the first snapshot. */
  believed(sku: string): number[] | undefined {
    const belief = this.beliefs.get(sku);
    if (!belief) return undefined;
    return belief.snapshot.map((units, shard) =>
      Math.max(0, Math.min(units, belief.bounds[shard]?.atMost ?? Infinity)),
    );
  }

  available(sku: string): number {
    return (this.believed(sku) ?? []).reduce((sum, units) => sum + units, 0);
  }

  /** Every shard seen empty. */
  isSoldOut(sku: string): boolean {
    const believed = this.believed(sku);
    return believed?.every((units) => units === 0) ?? false;
  }

  /** A take failed its condition: that shard holds fewer units than it asked for. */
  observeShort(sku: string, take: ShardTake, at: number): void {
    this.lower(sku, take.shard, take.units - 1, at);
  }

  /**
   * A purchase's write took its units. A snapshot applied while that write was under way may already
   * count it (the write can commit before the shard read runs and be answered after the snapshot is
   * applied): taking the units off again would leave the belief below the truth, and a container that
   * wrongly believes a product empty answers SOLD_OUT while units remain, until its check re-reads the
   * shards. So such a take is left out: the belief stays an upper bound, which a short write or the next
   * snapshot tightens.
   */
  observeTaken(write: HeldWrite, at: number): void {
    const { sku, takes } = write;
    if (this.beliefs.get(sku)?.generation !== write.generation) return;
    const believed = this.believed(sku)!;
    for (const take of takes) this.lower(sku, take.shard, (believed[take.shard] ?? 0) - take.units, at);
  }

  /**
   * Chooses shards for `quantity` units among the units not already being taken by this container's writes
   * under way: one shard that can cover it (avoiding shards that were just busy when there is a choice),
   * picked in proportion to its free units so the shards empty together, or else several shards, largest
   * first, in one atomic transaction of at most `maxTakes` shards (what the engine's transaction holds).
   * Without this, the last units of a shard draw as many writes as the shard had in flight, and all but one
   * fail their condition: writes the engine spends for nothing. Units spread so thin that `maxTakes` shards
   * cannot cover `quantity` are "insufficient" for one purchase: `available` is what one purchase can take.
   */
  plan(
    sku: string,
    quantity: number,
    random: () => number,
    avoid: ReadonlySet<number> = new Set(),
    maxTakes = Number.POSITIVE_INFINITY,
  ): StockPlan {
    const believed = this.believed(sku) ?? [];
    const available = believed.reduce((sum, units) => sum + units, 0);
    if (available === 0) return { kind: "sold-out" };
    if (available < quantity) return { kind: "insufficient", available };
    const reachable = largest(believed, maxTakes);
    if (reachable < quantity) return { kind: "insufficient", available: reachable };
    const held = this.held.get(sku) ?? [];
    const free = believed.map((units, shard) => Math.max(0, units - (held[shard] ?? 0)));
    if (largest(free, maxTakes) < quantity) return { kind: "held" };

    const covering = free.flatMap((units, shard) => (units >= quantity ? [shard] : []));
    const preferred = covering.filter((shard) => !avoid.has(shard));
    const choices = preferred.length > 0 ? preferred : covering;
    if (choices.length > 0)
      return { kind: "take", takes: [{ shard: weightedPick(choices, free, random), units: quantity }] };

    const order = shuffle(
      free.flatMap((units, shard) => (units > 0 ? [shard] : [])),
      random,
    ).sort((a, b) => free[b]! - free[a]!);
    const takes: ShardTake[] = [];
    let remaining = quantity;
    for (const shard of order) {
      if (remaining === 0) break;
      const units = Math.min(remaining, free[shard]!);
      takes.push({ shard, units });
      remaining -= units;
    }
    return { kind: "take", takes };
  }

  /**
   * This container's write of `takes` is under way: later plans leave those units alone until it is
   * released (when the write has an outcome, whatever it is, and that has been observed), which also
   * wakes `nextSettlement`.
   */
  hold(sku: string, takes: readonly ShardTake[]): HeldWrite {
    const held = this.held.get(sku) ?? [];
    this.held.set(sku, held);
    for (const take of takes) held[take.shard] = (held[take.shard] ?? 0) + take.units;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const take of takes) held[take.shard] = (held[take.shard] ?? 0) - take.units;
      if (held.every((units) => !units)) this.held.delete(sku);
      const waiters = this.settlementWaiters.get(sku) ?? [];
      this.settlementWaiters.delete(sku);
      for (const wake of waiters) wake();
    };
    return { sku, takes, generation: this.beliefs.get(sku)?.generation ?? 0, release };
  }

  /** Resolves when one of this container's writes of `sku` under way has an outcome (at once if none is). */
  nextSettlement(sku: string): Promise<void> {
    if (!this.held.has(sku)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.settlementWaiters.get(sku) ?? [];
      waiters.push(resolve);
      this.settlementWaiters.set(sku, waiters);
    });
  }

  private lower(sku: string, shard: number, atMost: number, at: number): void {
    const belief = this.beliefs.get(sku);
    if (!belief || shard >= belief.snapshot.length) return;
    const current = belief.bounds[shard];
    if (!current || atMost < current.atMost) belief.bounds[shard] = { atMost: Math.max(0, atMost), at };
  }
}

/** The sum of the `count` largest of `units`. */
function largest(units: readonly number[], count: number): number {
  return [...units]
    .sort((a, b) => b - a)
    .slice(0, count)
    .reduce((sum, shardUnits) => sum + shardUnits, 0);
}

/** One of `choices`, each as likely as its share of their `weights`. */
function weightedPick(choices: readonly number[], weights: readonly number[], random: () => number): number {
  const total = choices.reduce((sum, choice) => sum + weights[choice]!, 0);
  let point = random() * total;
  for (const choice of choices) {
    point -= weights[choice]!;
    if (point < 0) return choice;
  }
  return choices[choices.length - 1]!;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
