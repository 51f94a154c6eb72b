/**
 * The waiting room's arithmetic, pure: where a shopper stands in line and when their turn comes.
 *
 * The rule (README, "The waiting room"):
 * - Everyone who joins before the opening gets a place drawn at random for this sale: their `draw`, a
 *   keyed hash of the shopper's id, uniform in [0, 1), puts them at place `draw × early` among the
 *   `early` joiners. Joining at the last millisecond, refreshing or joining many times changes nothing.
 * - Everyone who joins after the opening queues behind them in arrival order (`sequence`, from a
 *   sharded counter), and never ahead of the shoppers who joined in the second before them.
 * - Places are admitted at `rate` shoppers per second from the opening. A turn lasts the pass's lifetime.
 *
 * Nothing here reads or writes anything: every container computes the same answer from the catalog
 * snapshot, the join counts and the shopper's own join record.
 */
import { PARTITION_WRITE_UNITS_PER_SECOND, SHARD_TARGET_UTILISATION, SHARD_WRITE_UNITS_PER_PURCHASE } from "./capacity";
import type { Product } from "./types";

/** Purchases/s one stock shard takes at its planned utilisation (capacity.ts): 250. */
export const PURCHASES_PER_SHARD_PER_SECOND =
  (PARTITION_WRITE_UNITS_PER_SECOND * SHARD_TARGET_UTILISATION) / SHARD_WRITE_UNITS_PER_PURCHASE;

/** The most shoppers/s a merchandiser may admit (far above any table's purchase capacity). */
export const MAX_ADMISSION_RATE = 100_000;

/** Polls never come sooner than this, nor later than the cap: the far back of a long line polls rarely. */
export const MIN_RETRY_AFTER_SECONDS = 1;
export const MAX_RETRY_AFTER_SECONDS = 300;

/** A shopper's place in line. */
export type Place = { kind: "early"; draw: number } | { kind: "late"; sequence: number; notBefore: number };

/** The sale's admission clock: from when, how fast, and from which place. */
export interface AdmissionClock {
  opensAt: number;
  rate: number;
  /** `admitted` places were admitted by `at` (epoch ms); the opening with 0 unless the rate changed mid-sale. */
  base: { at: number; admitted: number };
}

/** Shoppers per second a product admits: the merchandiser's rate, else what its shards can sell. */
export function admissionRate(product: Pick<Product, "shardCount" | "admissionRate">): number {
  return product.admissionRate ?? product.shardCount * PURCHASES_PER_SHARD_PER_SECOND;
}

export function admissionClock(
  product: Pick<Product, "saleStartsAt" | "shardCount" | "admissionRate" | "admissionBase">,
): AdmissionClock {
  const opensAt = Date.parse(product.saleStartsAt);
  const base = product.admissionBase
    ? { at: Date.parse(product.admissionBase.at), admitted: product.admissionBase.admitted }
    : { at: opensAt, admitted: 0 };
  return { opensAt, rate: admissionRate(product), base };
}

/** Places admitted by `now` (a real number: place p is admitted once this passes p). */
export function admittedPlaces(clock: AdmissionClock, now: number): number {
  if (now < clock.opensAt) return 0;
  return Math.max(0, clock.base.admitted + (clock.rate * (now - clock.base.at)) / 1000);
}

/** The place number in line: early joiners spread over [0, early), later joiners behind them. */
export function placeNumber(place: Place, early: number): number {
  return place.kind === "early" ? place.draw * early : early + place.sequence;
}

/** When this place's turn comes (epoch ms). */
export function turnAt(place: Place, clock: AdmissionClock, early: number): number {
  const byPlace = clock.base.at + ((placeNumber(place, early) - clock.base.admitted) * 1000) / clock.rate;
  const turn = Math.max(clock.opensAt, byPlace);
  return place.kind === "late" ? Math.max(turn, place.notBefore) : turn;
}

/**
 * A later joiner is never let in ahead of the shoppers who joined in the second before them, even when
 * the line had emptied: otherwise a crowd arriving long after the opening would be admitted all at once
 * on the capacity nobody used. `lateSeen` is how many later joiners this container knew of (≤ 1 s old).
 */
export function lateNotBefore(joinedAt: number, sequence: number, lateSeen: number, rate: number): number {
  return joinedAt + (Math.max(0, sequence - lateSeen) * 1000) / rate;
}

/** Shoppers ahead: the whole places between the admission cursor and this turn, at this sale's rate. */
export function shoppersAhead(turn: number, clock: AdmissionClock, now: number): number {
  return Math.max(0, Math.floor(((turn - Math.max(now, clock.opensAt)) * clock.rate) / 1000 + 1e-9));
}

/** Within this of the turn, a shopper polls right at it rather than halving the wait again. */
export const POLL_AT_TURN_WITHIN_MS = 10_000;

/**
 * Poll again after half the wait (a rate change or a sell-out meanwhile is seen in time), and right at
 * the turn once it is near: about log2(wait / 10 s) + 2 polls per shopper however long the line.
 */
export function retryAfterSeconds(waitMs: number): number {
  const seconds = Math.ceil(waitMs <= POLL_AT_TURN_WITHIN_MS ? waitMs / 1000 : waitMs / 2000);
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(MIN_RETRY_AFTER_SECONDS, seconds));
}

/** A late joiner's arrival number from their counter shard's new count: shards interleave, so numbers never collide. */
export function lateSequence(shardCount: number, shard: number, countInShard: number): number {
  return (countInShard - 1) * shardCount + shard;
}
