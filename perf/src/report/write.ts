import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RecordingData } from "../load/recorder";
import { renderHtml } from "./html";
import type { RunSummary } from "./summary";

/** Git-ignored: perf/results/<runId>/. PERF_RESULTS_DIR moves it (tests). */
export const resultsDir = () => process.env.PERF_RESULTS_DIR ?? resolve(__dirname, "../../results");

/** Writes summary.json, report.html and recording.json (the raw histograms); returns the folder. */
export function writeResults(
  summary: RunSummary,
  recording: RecordingData,
  dir = join(resultsDir(), summary.runId),
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(dir, "report.html"), renderHtml(summary));
  writeFileSync(join(dir, "recording.json"), JSON.stringify(recording));
  return dir;
}
