import { median, openingSecond, throughputRatio, type RunSummary } from "../report/summary";

/** The repeat's goals: the median run at 0.9 of the engine alone or better, and no run below 0.8. */
export const REPEAT_MEDIAN_GOAL = 0.9;
export const REPEAT_FLOOR_GOAL = 0.8;

export interface RepeatRun {
  runId: string;
  verdict: RunSummary["verdict"];
  /** The audit held (undefined: no audit). */
  auditOk?: boolean;
  /** Confirmed purchases/s while the burst sold ÷ the higher of the engine's measures (undefined: not measured). */
  ratio?: number;
  /** Confirmations in the first whole second after the first one, and the median of the burst's later whole seconds. */
  firstSecond?: number;
  laterSeconds?: number;
}

export interface RepeatVerdict {
  runs: RepeatRun[];
  median?: number;
  passed: boolean;
  reasons: string[];
}

/** What one run contributes to the repeat. */
export function repeatRun(summary: RunSummary): RepeatRun {
  const ratio = throughputRatio(summary);
  const opening = summary.purchases ? openingSecond(summary.purchases) : {};
  return {
    runId: summary.runId,
    verdict: summary.verdict,
    ...(summary.audit ? { auditOk: summary.audit.ok } : {}),
    ...(ratio === undefined ? {} : { ratio }),
    ...opening,
  };
}

/**
 * PASSED over the repeat only when every run measured a ratio, the median is ≥ 0.9, none is below 0.8 and
 * every audit held. Each run's own verdict (all its goals) is printed beside it.
 */
export function repeatVerdict(runs: RepeatRun[]): RepeatVerdict {
  const ratios = runs.flatMap((run) => (run.ratio === undefined ? [] : [run.ratio]));
  const reasons: string[] = [];
  if (ratios.length < runs.length) reasons.push(`${runs.length - ratios.length} run(s) measured no ratio`);
  const mid = ratios.length ? Math.round(median(ratios) * 100) / 100 : undefined;
  if (mid === undefined || mid < REPEAT_MEDIAN_GOAL) reasons.push(`median ${mid ?? "–"} < ${REPEAT_MEDIAN_GOAL}`);
  const low = ratios.filter((ratio) => ratio < REPEAT_FLOOR_GOAL);
  if (low.length) reasons.push(`${low.length} run(s) below ${REPEAT_FLOOR_GOAL} (${low.join(", ")})`);
  const failedAudit = runs.filter((run) => run.auditOk === false);
  if (failedAudit.length) reasons.push(`the audit failed in ${failedAudit.length} run(s)`);
  return { runs, ...(mid === undefined ? {} : { median: mid }), passed: reasons.length === 0, reasons };
}

/** The repeat's lines: each run, the median, the verdict. */
export function formatRepeat(verdict: RepeatVerdict, loadAverage: readonly number[]): string {
  const lines = [`repeat: ${verdict.runs.length} runs`];
  for (const [i, run] of verdict.runs.entries())
    lines.push(
      `  run ${i + 1} ${run.runId}: ratio ${run.ratio?.toFixed(2) ?? "–"}, first second ${run.firstSecond ?? "–"} confirmed (later seconds' median ${run.laterSeconds ?? "–"}), verdict ${run.verdict}`,
    );
  lines.push(
    `  median ratio ${verdict.median?.toFixed(2) ?? "–"}; load average (1/5/15 min) ${loadAverage.join(" / ")}`,
  );
  lines.push(
    `repeat verdict: ${verdict.passed ? "PASSED" : "FAILED"} (median ≥ ${REPEAT_MEDIAN_GOAL} and no run below ${REPEAT_FLOOR_GOAL}${verdict.passed ? "" : `: ${verdict.reasons.join("; ")}`})`,
  );
  return lines.join("\n");
}
