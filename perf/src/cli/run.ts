import { loadavg } from "node:os";
import { join } from "node:path";
import { helpText, parseOptions } from "@flash-sale/services/cli";
import { formatSummary } from "../report/text";
import { runFlashSale } from "../run/flash-sale";
import { RUN_OPTIONS } from "../run/options";
import { formatRepeat, repeatRun, repeatVerdict, type RepeatRun } from "../run/repeat";

/** `npm run perf -- run`: options in, the flash sale (src/run/) run, its summary out. */
export async function runCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, RUN_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- [run] [options]",
        "A flash sale under open-loop load: pre-sale listing and availability-feed polls, the purchase burst when the sale opens (far more than the stock), the tail after the sell-out. Audits the table afterwards, judges every goal (audit, generator self-check, latency, the engine's steadiness, confirmed purchases/s while the burst sold ≥ 0.9 × the engine alone) and writes perf/results/<runId>/ (summary.json, report.html). Exit 0 when every goal holds, 1 when a goal of the system fails, 3 when the run is INVALID (the generator or the engine's measure cannot be trusted). --repeat N: N runs, the median ratio and a verdict over them (median ≥ 0.9, no run below 0.8).",
        RUN_OPTIONS,
      ),
    );
    return 0;
  }
  const times = options.repeat;
  const runs: RepeatRun[] = [];
  let exitCode = 0;
  for (let i = 1; i <= times; i++) {
    if (times > 1) console.log(`\n=== run ${i} of ${times} ===`);
    const runId = options["run-id"] && times > 1 ? `${options["run-id"]}-${i}` : options["run-id"];
    const result = await runFlashSale({ ...options, ...(runId ? { "run-id": runId } : {}) });
    console.log(formatSummary(result.summary));
    console.log(`report: ${join(result.dir, "report.html")}`);
    console.log(`summary: ${join(result.dir, "summary.json")}`);
    runs.push(repeatRun(result.summary));
    exitCode = Math.max(exitCode, result.exitCode);
  }
  if (times === 1) return exitCode;
  const verdict = repeatVerdict(runs);
  console.log(
    `\n${formatRepeat(
      verdict,
      loadavg().map((value) => Math.round(value * 100) / 100),
    )}`,
  );
  return verdict.passed ? 0 : Math.max(1, exitCode);
}
