import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { summarize, type LatencySummary } from "./histograms";
import type { Recorder } from "./recorder";

export interface SelfCheckThresholds {
  /** Event-loop delay p99 above this means the generator could not keep its own schedule. */
  maxLagP99Ms: number;
  /** Achieved send rate below this share of the target means the generator fell behind. */
  minRateShare: number;
}

export const DEFAULT_THRESHOLDS: SelfCheckThresholds = { maxLagP99Ms: 50, minRateShare: 0.95 };

export interface SelfCheck {
  targetRate: number;
  achievedRate: number;
  scheduled: number;
  dispatched: number;
  dropped: number;
  eventLoopLagMs: { p50: number; p99: number; max: number };
  dispatchLateness: LatencySummary;
  /** Cores this process used on average (1.0 = one core busy the whole run). */
  cpuCores: number;
  valid: boolean;
  reasons: string[];
  warnings: string[];
}

export interface SelfCheckMonitor {
  finish(recorder: Recorder, dispatchWindowMs: number, scheduleWindowMs: number): SelfCheck;
}

/** Watches the generator's own health while it runs: event-loop delay and CPU. */
export function startSelfCheck(thresholds: SelfCheckThresholds = DEFAULT_THRESHOLDS): SelfCheckMonitor {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  return {
    finish(recorder, dispatchWindowMs, scheduleWindowMs) {
      lag.disable();
      const cpu = process.cpuUsage(cpuStart);
      const wallMs = performance.now() - wallStart;
      const ns = (value: number) => Math.round(value / 1e4) / 100;
      return judge(
        {
          scheduled: recorder.counts.scheduled,
          dispatched: recorder.counts.dispatched,
          dropped: recorder.counts.dropped,
          scheduleWindowMs,
          dispatchWindowMs,
          lagP50Ms: ns(lag.percentile(50)),
          lagP99Ms: ns(lag.percentile(99)),
          lagMaxMs: ns(lag.max),
          cpuCores: (cpu.user + cpu.system) / 1000 / wallMs,
          dispatchLateness: summarize(recorder.dispatchLag),
        },
        thresholds,
      );
    },
  };
}

export interface SelfCheckInputs {
  scheduled: number;
  dispatched: number;
  dropped: number;
  scheduleWindowMs: number;
  dispatchWindowMs: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  cpuCores: number;
  dispatchLateness: LatencySummary;
}

/** The verdict: a run is INVALID when the generator, not the system under test, was the bottleneck. */
export function judge(inputs: SelfCheckInputs, thresholds: SelfCheckThresholds = DEFAULT_THRESHOLDS): SelfCheck {
  const window = Math.max(inputs.scheduleWindowMs, 1);
  const targetRate = (inputs.scheduled / window) * 1000;
  // Falling behind stretches the real dispatch window beyond the schedule's; dropping thins it.
  const achievedRate = (inputs.dispatched / Math.max(window, inputs.dispatchWindowMs)) * 1000;
  const reasons: string[] = [];
  const warnings: string[] = [];
  if (inputs.dropped > 0)
    reasons.push(
      `${inputs.dropped} requests were dropped: the in-flight cap was reached (raise --max-in-flight or lower the rate)`,
    );
  if (achievedRate < targetRate * thresholds.minRateShare) {
    reasons.push(
      `achieved ${achievedRate.toFixed(1)} req/s is below ${Math.round(thresholds.minRateShare * 100)}% of the target ${targetRate.toFixed(1)} req/s`,
    );
  }
  if (inputs.lagP99Ms > thresholds.maxLagP99Ms) {
    reasons.push(
      `the generator's event-loop delay p99 was ${inputs.lagP99Ms} ms (limit ${thresholds.maxLagP99Ms} ms): it could not keep its own schedule`,
    );
  }
  if (inputs.cpuCores > 0.9)
    warnings.push(
      `the generator process used ${inputs.cpuCores.toFixed(2)} cores: close to the one core its event loop can use`,
    );
  if (inputs.dispatchLateness.p99 > 20)
    warnings.push(`p99 send lateness was ${inputs.dispatchLateness.p99} ms (it is included in the measured latency)`);
  return {
    targetRate: round(targetRate),
    achievedRate: round(achievedRate),
    scheduled: inputs.scheduled,
    dispatched: inputs.dispatched,
    dropped: inputs.dropped,
    eventLoopLagMs: { p50: inputs.lagP50Ms, p99: inputs.lagP99Ms, max: inputs.lagMaxMs },
    dispatchLateness: inputs.dispatchLateness,
    cpuCores: round(inputs.cpuCores, 2),
    valid: reasons.length === 0,
    reasons,
    warnings,
  };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
