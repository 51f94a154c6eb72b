import { nextAskInMs } from "@flash-sale/services/contract";
import { type AdmissionClock, retryAfterSeconds, turnAt } from "@flash-sale/services/domain";

/**
 * API Gateway's default throttle quota per account and Region, shared by every API of the account
 * (docs.aws.amazon.com/apigateway/latest/developerguide/limits.html, read through the `search` tool on
 * 2026-12-06: "10,000 requests per second (RPS) with an additional burst capacity provided by the token
 * bucket algorithm"; 2,500/s in a few newer Regions). It can be raised through Service Quotas.
 */
export const API_GATEWAY_DEFAULT_QUOTA_PER_SECOND = 10_000;

/** One-way network time assumed between a storefront and the API (ms): an answer is read this late, an ask lands this late. */
export const ASSUMED_LATENCY_MS = 25;

/** The server re-reads the join counts at most once a second per container: its answers count joins up to this old. */
const COUNTS_AGE_MS = 1_000;

export interface WaitingRoomLoadInput {
  joiners: number;
  /** They join evenly over this many seconds before the opening. */
  joinSeconds: number;
  /** Admission rate, shoppers/s. */
  rate: number;
  /** Shoppers walked one by one (the figures are scaled up to `joiners`). */
  sample?: number;
}

export interface WaitingRoomLoad {
  /** Joins plus asks, all joiners. */
  requests: number;
  /** The busiest second, and the busiest before and after the opening (requests/s). */
  peak: number;
  peakBeforeOpening: number;
  peakAfterOpening: number;
  /** Seconds from the opening until the last place is admitted. */
  lineSeconds: number;
}

/**
 * Every joiner walked through the storefront's own asks (`nextAskInMs`, what web's LinePoller runs) against
 * the API's own answers (`turnAt` from the join counts the server has read, `retryAfterSeconds`): joins,
 * one refresh before the opening, the ask at the turn, and again when the line had grown meanwhile.
 * Arithmetic, not a measurement: no sell-out (which ends every ask early), no hidden tabs (which ask
 * less), no rate change during the sale (a lowered rate costs each waiting shopper one more ask).
 */
export function waitingRoomLoad(input: WaitingRoomLoadInput): WaitingRoomLoad {
  const { joiners, rate } = input;
  const joinMs = input.joinSeconds * 1000;
  const opensAt = Date.parse("2030-01-01T00:00:00.000Z");
  const firstJoin = opensAt - joinMs;
  const clock: AdmissionClock = { opensAt, rate, base: { at: opensAt, admitted: 0 } };
  const iso = (ms: number) => new Date(ms).toISOString();
  const opens = iso(opensAt);
  const sample = Math.min(joiners, input.sample ?? 200_000);
  const scale = joiners / sample;
  // Early joins the server has counted when it answers at `at` (they join evenly, the counts a second old).
  const earlyCounted = (at: number) =>
    Math.max(1, Math.min(joiners, Math.floor(((at - COUNTS_AGE_MS - firstJoin) / joinMs) * joiners)));
  const perSecond = new Map<number, number>();
  const count = (at: number) => {
    const second = Math.floor((at - opensAt) / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  };
  const random = seeded(12_345);
  let requests = 0;
  for (let i = 0; i < sample; i++) {
    // Joiner i joins at its moment; its draw (a keyed hash in the API) and its page's spread are uniform and independent.
    const draw = random();
    const spread = random();
    let at = firstJoin + (i / sample) * joinMs;
    for (;;) {
      count(at);
      requests++;
      const turn = turnAt({ kind: "early", draw }, clock, earlyCounted(at));
      if (at >= turn) break; // admitted: the pass; the page asks nothing more
      const delay = nextAskInMs(
        {
          state: "waiting",
          serverTime: iso(at),
          opensAt: opens,
          turnAt: iso(turn),
          retryAfterSeconds: retryAfterSeconds(turn - at),
        },
        spread,
      );
      if (delay === undefined) break;
      at += delay + 2 * ASSUMED_LATENCY_MS;
    }
  }
  const peakOf = (keep: (second: number) => boolean) =>
    Math.max(0, ...[...perSecond].filter(([second]) => keep(second)).map(([, n]) => n)) * scale;
  return {
    requests: requests * scale,
    peak: peakOf(() => true),
    peakBeforeOpening: peakOf((second) => second < 0),
    peakAfterOpening: peakOf((second) => second >= 0),
    lineSeconds: joiners / rate,
  };
}

/** mulberry32: a small seeded generator, so every run prints the same figures. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
