import { confirmedPurchase } from "../load/http-client";
import { outcomeClass, type OutcomeClass } from "../load/recorder";
import type { Goal, RunSummary, TimelinePoint } from "./summary";
import { barChart, esc, lineChart, type Series } from "./svg";

/** What the charts tell apart: confirmed purchases from other 2xx, refusals (409), and shed answers (503/429). */
type Answer = "confirmed" | "served" | "refused" | "shed" | "error" | "dropped";

const ANSWERS: Array<{ answer: Answer; name: string; color: string }> = [
  { answer: "confirmed", name: "confirmed purchases (201)", color: "#16a34a" },
  // Not a second green: "served" must never be read as "confirmed".
  { answer: "served", name: "other 2xx (listings, replays)", color: "#9333ea" },
  { answer: "refused", name: "refused (409)", color: "#2563eb" },
  { answer: "shed", name: "shed: 503 TRY_AGAIN, 429", color: "#ea580c" },
  { answer: "error", name: "errors", color: "#dc2626" },
  { answer: "dropped", name: "dropped by the generator", color: "#6b7280" },
];
const ANSWER_COLORS = Object.fromEntries(ANSWERS.map((a) => [a.answer, a.color])) as Record<Answer, string>;
const CLASS_ANSWER: Record<OutcomeClass, Answer> = {
  ok: "served",
  rejected: "refused",
  tryAgain: "shed",
  error: "error",
  dropped: "dropped",
};

/** A 201 (a purchase's or a re-sent intent's) is a confirmed purchase; any other 2xx (listings, a replay's 200) is served. */
export function answerOf(label: string): Answer {
  const answer = CLASS_ANSWER[outcomeClass(label)];
  return answer === "served" && confirmedPurchase(label) ? "confirmed" : answer;
}

/** One second's answers by kind; a recording without per-label counts falls back to its classes (2xx stays "served"). */
function answersIn(point: TimelinePoint): Record<Answer, number> {
  const counts: Record<Answer, number> = { confirmed: 0, served: 0, refused: 0, shed: 0, error: 0, dropped: 0 };
  if (point.outcomes) for (const [label, n] of Object.entries(point.outcomes)) counts[answerOf(label)] += n;
  else for (const c of Object.keys(CLASS_ANSWER) as OutcomeClass[]) counts[CLASS_ANSWER[c]] += point[c];
  return counts;
}

/** One self-contained page: verdict, charts (throughput by kind of answer, latency percentiles, outcomes, histogram), tables. */
export function renderHtml(summary: RunSummary): string {
  const t = summary.timeline;
  const perSecond = t.map(answersIn);
  const totals = Object.fromEntries(
    ANSWERS.map(({ answer }) => [answer, perSecond.reduce((sum, c) => sum + c[answer], 0)]),
  ) as Record<Answer, number>;
  const answered = Object.values(totals).reduce((a, b) => a + b, 0) - totals.dropped;
  const throughput = lineChart({
    title: "Throughput: requests sent and answers per second, by kind of answer (shed answers in orange)",
    xLabel: "seconds since start",
    yLabel: "per second",
    series: [
      { name: "sent", color: "#111827", points: t.map((p) => [p.second, p.dispatched]) },
      // Only kinds the run had, so the legend says what happened; each line's hover shows its total.
      ...ANSWERS.filter(({ answer }) => totals[answer] > 0).map(
        ({ answer, name, color }): Series => ({
          name,
          color,
          note: `${totals[answer]} in all`,
          points: t.map((p, i) => [p.second, perSecond[i]![answer]]),
        }),
      ),
    ],
  });
  // Confirmed purchases on their own scale: a few hundred a second vanish against thousands sent.
  const engineRates = [summary.engineBefore, summary.engine].filter((e) => e !== undefined);
  const confirmed = lineChart({
    title: "Confirmed purchases (201) per second, on their own scale, with the engine alone for reference",
    xLabel: "seconds since start",
    yLabel: "confirmed per second",
    series: [
      {
        name: "confirmed purchases (201)",
        color: ANSWER_COLORS.confirmed,
        note: `${totals.confirmed} in all`,
        points: t.map((p, i) => [p.second, perSecond[i]!.confirmed]),
      },
      ...(engineRates.length
        ? [
            {
              name: `the engine alone (${engineRates.map((e) => e.perSecond).join(" / ")} tx/s, before / after)`,
              color: "#111827",
              points: [
                [0, Math.max(...engineRates.map((e) => e.perSecond))],
                [t.length - 1, Math.max(...engineRates.map((e) => e.perSecond))],
              ] as Array<[number, number]>,
            },
          ]
        : []),
    ],
  });
  const shedShare = lineChart({
    title: "Share of each second's answers shed (503 TRY_AGAIN, 429), %",
    xLabel: "seconds since start",
    yLabel: "% shed",
    yMax: 100,
    series: [
      {
        name: "shed share",
        color: ANSWER_COLORS.shed,
        note: `${totals.shed} shed in all`,
        points: perSecond.map((c, i) => {
          const answers = c.confirmed + c.served + c.refused + c.shed + c.error;
          return [t[i]!.second, answers ? Math.round((1000 * c.shed) / answers) / 10 : 0];
        }),
      },
    ],
  });
  const latency = lineChart({
    title: "Latency from intended start, by second the request was due (ms)",
    xLabel: "seconds since start",
    yLabel: "ms",
    series: [
      { name: "p50", color: "#2563eb", points: t.filter((p) => p.dispatched > 0).map((p) => [p.second, p.p50]) },
      { name: "p90", color: "#d97706", points: t.filter((p) => p.dispatched > 0).map((p) => [p.second, p.p90]) },
      { name: "p99", color: "#dc2626", points: t.filter((p) => p.dispatched > 0).map((p) => [p.second, p.p99]) },
    ],
  });
  const outcomes = barChart({
    title: "Outcomes (count)",
    bars: Object.entries(summary.outcomes).map(([label, value]) => ({
      label,
      value,
      color: ANSWER_COLORS[answerOf(label)],
    })),
  });
  const histogram = barChart({
    title: "Latency histogram (requests per latency band)",
    bars: summary.latencyHistogram
      .filter((b) => b.count > 0)
      .map((b) => ({ label: b.upToMs === Infinity ? "slower" : `≤ ${b.upToMs} ms`, value: b.count, color: "#7c3aed" })),
  });
  const verdictColor = summary.verdict === "PASSED" ? "#15803d" : "#dc2626";
  const row = (cells: Array<string | number>) => `<tr>${cells.map((c) => `<td>${esc(String(c))}</td>`).join("")}</tr>`;
  const latencyRows = [
    ["all", summary.latency.all] as const,
    ...Object.entries(summary.phases).map(([name, p]) => [`phase ${name}`, p.latency] as const),
    ...Object.entries(summary.latency.byOutcome).map(([label, l]) => [label, l] as const),
  ]
    .map(([name, l]) => row([name, l.count, l.p50, l.p90, l.p99, l.p999, l.max]))
    .join("");
  const problems = [
    ...(summary.selfCheck && !summary.selfCheck.valid ? summary.selfCheck.reasons.map((r) => `INVALID: ${r}`) : []),
    ...(summary.audit && !summary.audit.ok
      ? summary.audit.violations.slice(0, 100).map((v) => `AUDIT [${v.invariant}] ${v.message}`)
      : []),
  ];
  const s = summary.selfCheck;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flash-sale run ${esc(summary.runId)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#111827}figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}svg text{font-size:11px;fill:#374151}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #e5e7eb;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.verdict{font-size:22px;font-weight:700;color:${verdictColor}}.problem{color:#dc2626}.shed{color:#c2410c}.met{color:#15803d;font-weight:700}.missed{color:#dc2626;font-weight:700}table.goals td,table.goals th{text-align:left}</style></head><body>
<h1>Flash-sale run ${esc(summary.runId)}</h1>
<p class="verdict">${summary.verdict}</p>
${goalsTable(summary.goals ?? [])}
<p>${esc(summary.kind)} run started ${esc(summary.startedAt)} against ${esc(Object.values(summary.target)[0] ?? "")}. ${summary.requests.scheduled} requests scheduled, ${summary.requests.dispatched} sent, ${summary.requests.completed} answered, ${summary.requests.dropped} dropped by the generator.</p>
${problems.length ? `<ul>${problems.map((p) => `<li class="problem">${esc(p)}</li>`).join("")}</ul>` : ""}
${summary.audit ? `<p>Audit straight from the table: ${summary.audit.ok ? "every invariant holds" : `${summary.audit.violations.length} violations`} (${summary.audit.items} items, ${summary.audit.orders} orders).</p>` : ""}
${s ? `<p>Generator self-check: target ${s.targetRate} req/s, achieved ${s.achievedRate} req/s; event-loop delay p99 ${s.eventLoopLagMs.p99} ms; CPU ${s.cpuCores} cores; send lateness p99 ${s.dispatchLateness.p99} ms.</p>` : ""}
<p class="shed">Shed (503 TRY_AGAIN or 429: the shopper is asked to retry): ${totals.shed} of ${answered} answers${answered ? ` (${((100 * totals.shed) / answered).toFixed(1)}%)` : ""}.</p>
${summary.purchases ? `<p>Purchases confirmed: ${summary.purchases.confirmed}${summary.purchases.burst ? `, ${summary.purchases.burst.confirmed} of them while the burst sold, at ${summary.purchases.confirmedPerSecond}/s (${summary.purchases.confirmedInTail ?? 0} in the tail)` : `, at ${summary.purchases.confirmedPerSecond}/s while stock lasted`}.</p>` : ""}
${summary.engine ? `<p>DynamoDB Local alone in the same run: ${summary.engine.perSecond} purchase-shaped transactions/s with ${summary.engine.concurrency} in flight (p99 ${summary.engine.latency.p99} ms).</p>` : ""}
${summary.checkout ? checkoutHtml(summary.checkout) : ""}
${confirmed}${throughput}${shedShare}${latency}${outcomes}${histogram}
<h2>Latency (ms, from intended start)</h2><table><tr><th>requests</th><th>n</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>${latencyRows}</table>
<h2>Scenario</h2><pre>${esc(JSON.stringify(summary.scenario, null, 2))}</pre>
${summary.notes.length ? `<h2>Notes</h2><ul>${summary.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
</body></html>`;
}

function checkoutHtml(c: NonNullable<RunSummary["checkout"]>): string {
  const cells = [
    ["holds made", c.holds],
    ["units held", c.heldUnits],
    ["buyers who pay (4242)", c.paid],
    ["abandoned", c.abandoned],
    ["declined (4000…0002), then abandoned", c.declined],
    ["expired (units returned by the sweep)", c.expired],
    ["paid late and re-taken", c.latePaidConfirmed],
    ["refunded", c.refunded],
    ["CONFIRMED", c.confirmed],
    ["units resold after the first return", c.unitsResold],
    [
      `expiry to return p50 (holdExpiresAt → seen EXPIRED, polled every ${c.expiryToReturnMs.pollMs} ms)`,
      `${c.expiryToReturnMs.p50} ms`,
    ],
    ["expiry to return p99", `${c.expiryToReturnMs.p99} ms`],
    ["confirmed purchases/s", c.confirmedPerSecond],
  ];
  return `<h2>Held checkout</h2><table>${cells.map(([k, v]) => `<tr><td>${esc(String(k))}</td><td>${esc(String(v))}</td></tr>`).join("")}</table>
<ul>${c.goals.map((g) => `<li class="${g.met ? "" : "problem"}">${g.met ? "✓" : "✗"} ${esc(g.goal)}: ${esc(g.measured)}</li>`).join("")}</ul>`;
}

/** The goals as k6 and Artillery print thresholds: ✓ or ✗, the goal, what was measured. */
export function goalsTable(goals: readonly Goal[]): string {
  if (goals.length === 0) return "";
  const rows = goals
    .map(
      (g) =>
        `<tr data-goal-met="${g.met}"><td class="${g.met ? "met" : "missed"}">${g.met ? "✓" : "✗"}</td><td>${esc(g.goal)}</td><td>${esc(g.measured)}</td></tr>`,
    )
    .join("");
  return `<table class="goals"><tr><th></th><th>goal</th><th>measured</th></tr>${rows}</table>`;
}
