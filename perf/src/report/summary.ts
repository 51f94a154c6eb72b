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
  /** Confirmed purchases per second between the first and the last confirmation (while stock lasted). */
  confirmedPerSecond: number;
  firstConfirmedMs?: number;
  lastConfirmedMs?: number;
  /**
   * Confirmations in each whole second from the first confirmation on (the part-second before the last
   * one left out): where the rate above was lost, at the opening or as the last units were found.
   */
  perWholeSecond?: number[];
}

/** Throughput from the times (ms from the start of the load) at which purchases were confirmed. */
export function purchaseThroughput(confirmedAtMs: readonly number[]): PurchaseThroughput {
  const times = [...confirmedAtMs].sort((a, b) => a - b);
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined || last <= first)
    return { confirmed: times.length, confirmedPerSecond: 0 };
  const perWholeSecond = Array.from({ length: Math.floor((last - first) / 1000) }, () => 0);
  for (const at of times) {
    const second = Math.floor((at - first) / 1000);
    if (second < perWholeSecond.length) perWholeSecond[second]!++;
  }
  return {
    confirmed: times.length,
    confirmedPerSecond: Math.round((times.length / ((last - first) / 1000)) * 10) / 10,
    firstConfirmedMs: first,
    lastConfirmedMs: last,
    perWholeSecond,
  };
}

export interface RunSummary {
  runId: string;
  kind: "local" | "deployed" | "fleet";
  startedAt: string;
  target: Record<string, string>;
  scenario: Record<string, unknown>;
  verdict: "PASSED" | "INVALID" | "FAILED";
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

/** The overload goals (issue: fast answers under overload), judged for local runs with an engine measure. */
export interface OverloadGoal {
  goal: string;
  met: boolean;
  measured: string;
}

export function overloadGoals(summary: RunSummary): OverloadGoal[] {
  const engines = [summary.engineBefore, summary.engine].filter(
    (engine): engine is EngineBench => engine !== undefined,
  );
  if (engines.length === 0 || !summary.purchases) return [];
  const capacity = Math.max(...engines.map((engine) => engine.perSecond));
  const ratio = capacity > 0 ? summary.purchases.confirmedPerSecond / capacity : 0;
  const all = summary.latency.all;
  return [
    { goal: "p99 of every answer ≤ 500 ms", met: all.p99 <= 500, measured: `p99 ${all.p99} ms` },
    { goal: "no answer over 2 s", met: all.max <= 2_000, measured: `max ${all.max} ms` },
    {
      goal: "confirmed purchases/s ≥ 0.9 × the engine's warm capacity (the higher of its two measures)",
      met: ratio >= 0.9,
      measured: `${summary.purchases.confirmedPerSecond}/s ÷ ${capacity} tx/s = ${ratio.toFixed(2)}`,
    },
  ];
}

/**
 * The run in numbers a person can judge: verdict first (the audit decides FAILED, the self-check
 * decides INVALID), then outcomes, latency and the timeline the HTML page draws.
 */
export function buildSummary(
  recorder: Recorder,
  extras: Omit<
    RunSummary,
    "verdict" | "requests" | "outcomes" | "phases" | "latency" | "latencyHistogram" | "timeline"
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
  const verdict =
    (extras.audit && !extras.audit.ok) || extras.checkout?.goals.some((goal) => !goal.met)
      ? "FAILED"
      : extras.selfCheck && !extras.selfCheck.valid
        ? "INVALID"
        : "PASSED";
  return {
    ...extras,
    verdict,
    requests: { ...recorder.counts },
    outcomes: sortedOutcomes,
    phases,
    latency: { all: summarize(recorder.histogram("all")), byOutcome },
    latencyHistogram: latencyBuckets(recorder.histogram("all")),
    timeline,
  };
}
