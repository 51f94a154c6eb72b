import type { CheckoutGoal, CheckoutReport } from "../scenario/checkout";
import type { AuditReport } from "@flash-sale/services/store";
import type { EngineBench } from "@flash-sale/local/engine-bench";
import { latencyBuckets, summarize, type LatencySummary } from "../load/histograms";
import type { Recorder } from "../load/recorder";
import type { SelfCheck } from "../load/self-check";

export interface TimelinePoint {
  second: number;
  dispatched: number;
  ok: number;
  rejected: number;
  tryAgain: number;
  error: number;
  dropped: number;
  /** Answers that arrived in this second by outcome label (absent for recordings made before it existed). */
  outcomes?: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
}

export interface PurchaseThroughput {
  confirmed: number;
  /**
   * Confirmed purchases per second while the burst sold: from the first confirmation to the last one
   * inside the burst (the tail after it, offering a trickle, left out). Without a burst window: first to last.
   */
  confirmedPerSecond: number;
  firstConfirmedMs?: number;
  lastConfirmedMs?: number;
  /** The burst's window (ms from the start of the load) the rate was measured in, and what sold in it. */
  burst?: { startMs: number; endMs: number; confirmed: number; lastConfirmedMs?: number };
  /** Confirmations after the burst ended (units the burst left for the tail). Before it: `confirmed` less these and the burst's. */
  confirmedInTail?: number;
  /**
   * Confirmations in each whole second from the first confirmation on (the first in the burst, with a
   * burst; the part-second before the last one left out): where the rate above was lost, at the opening
   * or as the last units were found.
   */
  perWholeSecond?: number[];
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The opening against the rest: confirmations in the first whole second of the burst and the median of its
 * later whole seconds (with a burst window the per-second counts cover only the burst).
 */
export function openingSecond(p: PurchaseThroughput): { firstSecond?: number; laterSeconds?: number } {
  const seconds = p.perWholeSecond ?? [];
  return {
    ...(seconds.length ? { firstSecond: seconds[0]! } : {}),
    ...(seconds.length > 1 ? { laterSeconds: median(seconds.slice(1)) } : {}),
  };
}

const rate = (count: number, fromMs: number, toMs: number) =>
  toMs > fromMs ? Math.round((count / ((toMs - fromMs) / 1000)) * 10) / 10 : 0;

/**
 * Throughput from the times (ms from the start of the load) at which purchases were confirmed. With
 * `burst`, the rate counts only the confirmations inside it: the seconds the burst actually sells.
 */
export function purchaseThroughput(
  confirmedAtMs: readonly number[],
  burst?: { startMs: number; endMs: number },
): PurchaseThroughput {
  const times = [...confirmedAtMs].sort((a, b) => a - b);
  // With a burst, only its confirmations: a late generator's pre-sale purchases can confirm before it.
  const counted = burst ? times.filter((at) => at >= burst.startMs && at < burst.endMs) : times;
  const first = counted[0];
  const last = counted[counted.length - 1];
  const whole = burst ? { confirmedInTail: times.filter((at) => at >= burst.endMs).length } : {};
  if (first === undefined || last === undefined || last <= first)
    return {
      confirmed: times.length,
      confirmedPerSecond: 0,
      ...whole,
      ...(burst ? { burst: { ...burst, confirmed: counted.length } } : {}),
    };
  const perWholeSecond = Array.from({ length: Math.floor((last - first) / 1000) }, () => 0);
  for (const at of counted) {
    const second = Math.floor((at - first) / 1000);
    if (second < perWholeSecond.length) perWholeSecond[second]!++;
  }
  return {
    confirmed: times.length,
    confirmedPerSecond: rate(counted.length, first, last),
    firstConfirmedMs: first,
    lastConfirmedMs: burst ? times[times.length - 1]! : last,
    perWholeSecond,
    ...whole,
    ...(burst ? { burst: { ...burst, confirmed: counted.length, lastConfirmedMs: last } } : {}),
  };
}

export interface RunSummary {
  runId: string;
  kind: "local" | "deployed" | "fleet";
  startedAt: string;
  target: Record<string, string>;
  scenario: Record<string, unknown>;
  verdict: "PASSED" | "INVALID" | "FAILED";
  /** Every goal judged, met or not: the verdict is PASSED only when all are met. */
  goals: Goal[];
  requests: Recorder["counts"];
  outcomes: Record<string, number>;
  phases: Record<string, { outcomes: Record<string, number>; latency: LatencySummary }>;
  latency: { all: LatencySummary; byOutcome: Record<string, LatencySummary> };
  latencyHistogram: Array<{ upToMs: number; count: number }>;
  timeline: TimelinePoint[];
  purchases?: PurchaseThroughput;
  selfCheck?: SelfCheck;
  audit?: AuditReport;
  /** DynamoDB Local alone after the sale (and before it, warm), same run. */
  engine?: EngineBench;
  engineBefore?: EngineBench;
  /** The machine's 1, 5 and 15 minute load averages when the run ended. */
  loadAverage?: number[];
  /** `--checkout`: what became of the holds, and the held-checkout goals (each must hold to PASS). */
  checkout?: CheckoutReport & { confirmedPerSecond: number; waitedMs: number; goals: CheckoutGoal[] };
  notes: string[];
}

/**
 * A goal the run is judged on, as k6 and Artillery judge thresholds. `system`: the platform missed it
 * (FAILED); `measurement`: the figures cannot be trusted (INVALID: the generator or the engine's measure).
 */
export interface Goal {
  goal: string;
  met: boolean;
  measured: string;
  kind: "system" | "measurement";
}

/** Latency goals under overload (every run) and, with the engine measured, the throughput ratio. */
export const LATENCY_P99_GOAL_MS = 500;
export const LATENCY_MAX_GOAL_MS = 2_000;
export const RATIO_GOAL = 0.9;
/** The engine's rate before and after the sale must agree this closely, or it was still warming (or the machine changed). */
export const ENGINE_STEADY_TOLERANCE = 0.05;

/** Confirmed purchases/s over the engine's rate; undefined without both. */
export function ratioTo(summary: Pick<RunSummary, "purchases">, engine: EngineBench | undefined): number | undefined {
  if (!engine || !summary.purchases || engine.perSecond <= 0) return undefined;
  return Math.round((summary.purchases.confirmedPerSecond / engine.perSecond) * 100) / 100;
}

/** The ratio the goal judges: against the higher of the engine's two measures (the stricter). */
export function throughputRatio(
  summary: Pick<RunSummary, "purchases" | "engine" | "engineBefore">,
): number | undefined {
  const engines = [summary.engineBefore, summary.engine].filter((e): e is EngineBench => e !== undefined);
  if (engines.length === 0) return undefined;
  const best = engines.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return ratioTo(summary, best);
}

/** Every goal the run is judged on; the verdict is PASSED only when each one is met. */
export function runGoals(
  summary: Pick<
    RunSummary,
    "audit" | "selfCheck" | "checkout" | "latency" | "purchases" | "engine" | "engineBefore" | "requests"
  >,
): Goal[] {
  const goals: Goal[] = [];
  if (summary.audit)
    goals.push({
      goal: "audit: every invariant holds in the table",
      met: summary.audit.ok,
      measured: summary.audit.ok
        ? `${summary.audit.items} items, ${summary.audit.orders} orders, 0 violations`
        : `${summary.audit.violations.length} violations`,
      kind: "system",
    });
  if (summary.selfCheck)
    goals.push({
      goal: "generator self-check: the generator kept its schedule",
      met: summary.selfCheck.valid,
      measured: summary.selfCheck.valid
        ? `achieved ${summary.selfCheck.achievedRate} of ${summary.selfCheck.targetRate} req/s, event-loop p99 ${summary.selfCheck.eventLoopLagMs.p99} ms`
        : summary.selfCheck.reasons.join("; "),
      kind: "measurement",
    });
  for (const goal of summary.checkout?.goals ?? []) goals.push({ ...goal, kind: "system" });
  const all = summary.latency.all;
  if (all.count > 0)
    goals.push(
      {
        goal: `p99 of every answer ≤ ${LATENCY_P99_GOAL_MS} ms`,
        met: all.p99 <= LATENCY_P99_GOAL_MS,
        measured: `p99 ${all.p99} ms`,
        kind: "system",
      },
      {
        goal: `no answer over ${LATENCY_MAX_GOAL_MS / 1000} s`,
        met: all.max <= LATENCY_MAX_GOAL_MS,
        measured: `max ${all.max} ms`,
        kind: "system",
      },
    );
  const { engineBefore: before, engine: after, purchases } = summary;
  if (before && after) {
    const drift =
      Math.abs(after.perSecond - before.perSecond) / Math.max(1, Math.min(before.perSecond, after.perSecond));
    goals.push({
      goal: `the engine alone was warm: its rate before and after the sale within ${ENGINE_STEADY_TOLERANCE * 100}%`,
      met: drift <= ENGINE_STEADY_TOLERANCE,
      measured: `${before.perSecond} tx/s before, ${after.perSecond} after (${(drift * 100).toFixed(1)}% apart)`,
      kind: "measurement",
    });
  }
  const ratio = throughputRatio(summary);
  if (ratio !== undefined && purchases) {
    const capacity = Math.max(before?.perSecond ?? 0, after?.perSecond ?? 0);
    const window = purchases.burst ? "while the burst sold" : "first to last confirmation";
    goals.push({
      goal: `confirmed purchases/s ${window} ≥ ${RATIO_GOAL} × the engine alone (the higher of its measures before and after)`,
      met: ratio >= RATIO_GOAL,
      measured: `${purchases.confirmedPerSecond}/s ÷ ${capacity} tx/s = ${ratio.toFixed(2)} (before: ${ratioTo(summary, before)?.toFixed(2) ?? "–"}, after: ${ratioTo(summary, after)?.toFixed(2) ?? "–"})`,
      kind: "system",
    });
  }
  return goals;
}

/** FAILED when the audit or any system goal fails; else INVALID when a measurement goal fails; else PASSED. */
export function verdictOf(goals: readonly Goal[]): RunSummary["verdict"] {
  if (goals.some((goal) => !goal.met && goal.kind === "system")) return "FAILED";
  if (goals.some((goal) => !goal.met)) return "INVALID";
  return "PASSED";
}

/**
 * The run in numbers a person can judge: the verdict over every goal (runGoals: the audit, the
 * generator's self-check, latency, the throughput ratio, the engine's steadiness, held checkout), then
 * outcomes, latency and the timeline the HTML page draws.
 */
export function buildSummary(
  recorder: Recorder,
  extras: Omit<
    RunSummary,
    "verdict" | "goals" | "requests" | "outcomes" | "phases" | "latency" | "latencyHistogram" | "timeline"
  >,
): RunSummary {
  const sortedOutcomes = Object.fromEntries([...recorder.outcomes].sort((a, b) => b[1] - a[1]));
  const phases = Object.fromEntries(
    recorder.phaseNames.map((name) => [
      name,
      {
        outcomes: Object.fromEntries(
          [...(recorder.phaseOutcomes.get(name) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]),
        ),
        latency: summarize(recorder.histogram(`phase:${name}`)),
      },
    ]),
  );
  const byOutcome = Object.fromEntries(
    [...recorder.histograms]
      .filter(([key]) => key.startsWith("outcome:"))
      .map(([key, histogram]) => [key.slice("outcome:".length), summarize(histogram)]),
  );
  const timeline = recorder.timeline.map((second, index) => {
    const latency = summarize(second.latency);
    return {
      second: index,
      dispatched: second.dispatched,
      ...second.completed,
      outcomes: { ...second.outcomes },
      p50: latency.p50,
      p90: latency.p90,
      p99: latency.p99,
    };
  });
  const latency = { all: summarize(recorder.histogram("all")), byOutcome };
  const requests = { ...recorder.counts };
  const goals = runGoals({ ...extras, latency, requests });
  return {
    ...extras,
    verdict: verdictOf(goals),
    goals,
    requests,
    outcomes: sortedOutcomes,
    phases,
    latency,
    latencyHistogram: latencyBuckets(recorder.histogram("all")),
    timeline,
  };
}
