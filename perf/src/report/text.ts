import type { LatencySummary } from "../load/histograms";
import { cpus } from "node:os";
import { openingSecond, type RunSummary } from "./summary";

const RED = "\x1b[31;1m";
const GREEN = "\x1b[32;1m";
const YELLOW = "\x1b[33;1m";
const RESET = "\x1b[0m";

export function latencyLine(latency: LatencySummary): string {
  return `p50 ${latency.p50} ms  p90 ${latency.p90} ms  p99 ${latency.p99} ms  p99.9 ${latency.p999} ms  max ${latency.max} ms  (n=${latency.count})`;
}

/** The console report; colours only on a terminal. */
export function formatSummary(summary: RunSummary, color = process.stdout.isTTY === true): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  lines.push(`run ${summary.runId} (${summary.kind}) started ${summary.startedAt}`);
  for (const [name, value] of Object.entries(summary.target)) lines.push(`  ${name}: ${value}`);
  const r = summary.requests;
  lines.push(
    `requests: ${r.scheduled} scheduled, ${r.dispatched} sent, ${r.completed} answered, ${r.dropped} dropped by the generator`,
  );
  lines.push("outcomes:");
  for (const [label, n] of Object.entries(summary.outcomes))
    lines.push(
      `  ${label.padEnd(40)} ${String(n).padStart(8)}   ${summary.latency.byOutcome[label] ? `p99 ${summary.latency.byOutcome[label]!.p99} ms` : ""}`,
    );
  lines.push(`latency from intended start, all requests: ${latencyLine(summary.latency.all)}`);
  for (const [name, phase] of Object.entries(summary.phases))
    lines.push(`  ${name.padEnd(10)} ${latencyLine(phase.latency)}`);
  if (summary.purchases) {
    const p = summary.purchases;
    lines.push(
      p.burst
        ? `purchases confirmed: ${p.confirmed}, ${p.burst.confirmed} of them while the burst sold at ${p.confirmedPerSecond}/s (first at ${((p.firstConfirmedMs ?? 0) / 1000).toFixed(2)} s, last in the burst at ${((p.burst.lastConfirmedMs ?? 0) / 1000).toFixed(2)} s, burst ${p.burst.startMs / 1000}-${p.burst.endMs / 1000} s); ${p.confirmedInTail ?? 0} in the tail`
        : `purchases confirmed: ${p.confirmed}, ${p.confirmedPerSecond}/s while stock lasted${p.lastConfirmedMs !== undefined ? ` (last at ${(p.lastConfirmedMs / 1000).toFixed(2)} s)` : ""}`,
    );
    if (p.perWholeSecond?.length)
      lines.push(
        `  per whole second from the first confirmation${p.burst ? " in the burst" : ""}: ${p.perWholeSecond.join(", ")}`,
      );
    const opening = openingSecond(p);
    if (opening.firstSecond !== undefined)
      lines.push(
        `  the first second of the burst confirmed ${opening.firstSecond}, its later seconds ${opening.laterSeconds ?? "–"} (median)`,
      );
  }
  for (const [when, e] of [
    ["before the sale", summary.engineBefore],
    ["after the sale", summary.engine],
  ] as const) {
    if (e)
      lines.push(
        `DynamoDB Local alone ${when} (same run, warm, purchase-shaped TransactWriteItems, ${e.concurrency} in flight): ${e.perSecond} tx/s, ${latencyLine(e.latency)}${e.failed ? `, ${e.failed} failed` : ""}`,
      );
  }
  const shed = Object.entries(summary.outcomes)
    .filter(([label]) => / (503|429)\b/.test(label))
    .reduce((sum, [, n]) => sum + n, 0);
  lines.push(
    `shed (503 TRY_AGAIN / 429, answered at once; the storefront retries them with the same key): ${shed} of ${summary.requests.completed}`,
  );
  if (summary.loadAverage)
    lines.push(
      `machine load average (1/5/15 min) at the end: ${summary.loadAverage.join(" / ")} on ${cpus().length} cores`,
    );
  if (summary.selfCheck) {
    const s = summary.selfCheck;
    lines.push(
      `generator: target ${s.targetRate} req/s, achieved ${s.achievedRate} req/s, event-loop delay p99 ${s.eventLoopLagMs.p99} ms (max ${s.eventLoopLagMs.max}), CPU ${s.cpuCores} cores, send lateness p99 ${s.dispatchLateness.p99} ms`,
    );
    for (const warning of s.warnings) lines.push(paint(YELLOW, `  warning: ${warning}`));
    if (!s.valid) {
      lines.push(paint(RED, "INVALID RUN: the generator, not the system, was the bottleneck:"));
      for (const reason of s.reasons) lines.push(paint(RED, `  - ${reason}`));
    }
  }
  if (summary.audit) {
    const a = summary.audit;
    for (const product of a.products.filter(
      (p) => summary.scenario.sku === undefined || p.sku === summary.scenario.sku,
    )) {
      lines.push(
        `audit ${product.sku}: loaded ${product.loadedUnits} = sold ${product.unitsSold} + available ${product.availableUnits}; ${product.orders} orders hold ${product.orderedUnits} units for ${product.shoppers} shoppers; shards [${product.shards.join(", ")}]`,
      );
    }
    if (a.ok)
      lines.push(
        paint(
          GREEN,
          `audit passed: ${a.items} items, ${a.products.length} products, ${a.orders} orders, every invariant holds`,
        ),
      );
    else {
      lines.push(paint(RED, `AUDIT FAILED: ${a.violations.length} violations`));
      for (const violation of a.violations.slice(0, 50))
        lines.push(paint(RED, `  [${violation.invariant}] ${violation.message}`));
      if (a.violations.length > 50)
        lines.push(paint(RED, `  ... and ${a.violations.length - 50} more (see summary.json)`));
    }
  }
  for (const note of summary.notes) lines.push(`note: ${note}`);
  if (summary.checkout) {
    const c = summary.checkout;
    lines.push(
      `checkout: ${c.holds} holds (${c.heldUnits} units): ${c.paid} to pay, ${c.abandoned} abandoned, ${c.declined} declined; ${c.expired} expired (units returned by the sweep), ${c.latePaidConfirmed} of them paid late and re-taken, ${c.refunded} refunded; ${c.confirmed} CONFIRMED; ${c.unitsResold} units resold after the first return`,
      `checkout: expiry to return (holdExpiresAt → order seen EXPIRED, polled every ${c.expiryToReturnMs.pollMs} ms): p50 ${c.expiryToReturnMs.p50} ms, p99 ${c.expiryToReturnMs.p99} ms; ${c.confirmedPerSecond} confirmed purchases/s; holds watched for ${Math.round(c.waitedMs / 1000)} s from the start of the load`,
    );
  }
  lines.push("goals (the verdict is PASSED only when every one is met):");
  for (const goal of summary.goals)
    lines.push(paint(goal.met ? GREEN : RED, `  ${goal.met ? "✓" : "✗"} ${goal.goal}: ${goal.measured}`));
  const verdictColor = summary.verdict === "PASSED" ? GREEN : RED;
  lines.push(paint(verdictColor, `verdict: ${summary.verdict}`));
  return lines.join("\n");
}
