/** The storefront's speed goals (issue 23) and how a set of Lighthouse runs is summed up against them. */

export interface PageFigures {
  /** The path the page ended on (the landing page redirects visitors to /sign-in before issue 23's landing page). */
  shownUrl: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  tbtMs: number;
  lcpMs: number;
  fcpMs: number;
  /** The longest main-thread task during load (0 when Lighthouse saw none of 50 ms or more). */
  longestTaskMs: number;
  transferKb: number;
  /** Each task of 50 ms or more: its duration and the script it is charged to. */
  longTasks: string[];
  /** Pass/fail audits that failed (e.g. `color-contrast`), to say why a category lost points. */
  failedAudits: string[];
}

export const GOALS = { performance: 95, accessibility: 100, bestPractices: 100, longestTaskMs: 50 } as const;

const middle = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half]! : Math.round((sorted[half - 1]! + sorted[half]!) / 2);
};

/** Each figure's own median over the runs (failed audits: those that failed in most runs). */
export function median(runs: PageFigures[]): PageFigures {
  if (runs.length === 0) throw new Error('no Lighthouse runs to sum up');
  const of = (key: Exclude<keyof PageFigures, 'failedAudits' | 'shownUrl' | 'longTasks'>) =>
    middle(runs.map((run) => run[key]));
  const audits = [...new Set(runs.flatMap((run) => run.failedAudits))];
  return {
    shownUrl: runs[0]!.shownUrl,
    performance: of('performance'),
    accessibility: of('accessibility'),
    bestPractices: of('bestPractices'),
    tbtMs: of('tbtMs'),
    lcpMs: of('lcpMs'),
    fcpMs: of('fcpMs'),
    longestTaskMs: of('longestTaskMs'),
    transferKb: of('transferKb'),
    longTasks: [],
    failedAudits: audits.filter((id) => runs.filter((run) => run.failedAudits.includes(id)).length * 2 > runs.length),
  };
}

/** The goals a page missed, each named with its figure; empty when it met them all. */
export function verdict(figures: PageFigures): string[] {
  const missed: string[] = [];
  if (figures.performance < GOALS.performance) missed.push(`performance ${figures.performance} < ${GOALS.performance}`);
  if (figures.accessibility < GOALS.accessibility)
    missed.push(`accessibility ${figures.accessibility} < ${GOALS.accessibility}`);
  if (figures.bestPractices < GOALS.bestPractices)
    missed.push(`best practices ${figures.bestPractices} < ${GOALS.bestPractices}`);
  if (figures.longestTaskMs > GOALS.longestTaskMs)
    missed.push(`a ${figures.longestTaskMs} ms task during load (goal: none over ${GOALS.longestTaskMs} ms)`);
  return missed;
}
