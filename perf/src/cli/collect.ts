import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { createDocumentClient } from "@flash-sale/services/store";
import type { AgentResult } from "../agent/scenario";
import { auditTable } from "../audit/scan";
import { judge, type SelfCheck } from "../load/self-check";
import { mergeRecordings } from "../load/recorder";
import { summarize } from "../load/histograms";
import { buildSummary, type RunSummary } from "../report/summary";
import { formatSummary } from "../report/text";
import { writeResults } from "../report/write";
import { helpText, parseOptions, UsageError, type OptionSpecs } from "@flash-sale/services/cli";

const COLLECT_OPTIONS = {
  bucket: { type: "string", help: "the results bucket" },
  "run-id": { type: "string", help: "the run to collect (printed by fleet)" },
  region: { type: "string", default: "us-east-1", help: "AWS region of the bucket and table" },
  table: { type: "string", help: "audit this DynamoDB table after merging (recommended)" },
} satisfies OptionSpecs;

/** Merges agents' results: histograms added, counters summed, timelines aligned; invalid if any agent was. */
export function mergeAgentResults(results: AgentResult[]): {
  summaryInputs: { selfCheck: SelfCheck; confirmed: number };
  recorder: ReturnType<typeof mergeRecordings>;
} {
  const recorder = mergeRecordings(results.map((r) => r.recording));
  const invalid = results.filter((r) => !r.selfCheck.valid);
  const base = judge({
    scheduled: recorder.counts.scheduled,
    dispatched: recorder.counts.dispatched,
    dropped: recorder.counts.dropped,
    scheduleWindowMs: Math.max(...results.map((r) => r.recording.durationMs)),
    dispatchWindowMs: 0,
    lagP50Ms: Math.max(...results.map((r) => r.selfCheck.eventLoopLagMs.p50)),
    lagP99Ms: Math.max(...results.map((r) => r.selfCheck.eventLoopLagMs.p99)),
    lagMaxMs: Math.max(...results.map((r) => r.selfCheck.eventLoopLagMs.max)),
    cpuCores: Math.max(...results.map((r) => r.selfCheck.cpuCores)),
    dispatchLateness: summarize(recorder.dispatchLag),
  });
  // Rates are judged per agent (each knows its own dispatch window); the fleet is invalid if any agent was.
  const reasons = invalid.flatMap((r) => r.selfCheck.reasons.map((reason) => `${r.instanceId}: ${reason}`));
  const selfCheck: SelfCheck = {
    ...base,
    achievedRate: results.reduce((sum, r) => sum + r.selfCheck.achievedRate, 0),
    targetRate: results.reduce((sum, r) => sum + r.selfCheck.targetRate, 0),
    valid: reasons.length === 0,
    reasons,
  };
  return { summaryInputs: { selfCheck, confirmed: results.reduce((sum, r) => sum + r.confirmed, 0) }, recorder };
}

export async function collectCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, COLLECT_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- collect --bucket <bucket> --run-id <runId> [--table <table>]",
        "Downloads results/<runId>/*.json from the bucket, merges the agents' HDR histograms and counters into one report under perf/results/<runId>/, and audits the table.",
        COLLECT_OPTIONS,
      ),
    );
    return 0;
  }
  if (!options.bucket || !options["run-id"]) throw new UsageError("collect needs --bucket and --run-id");
  const s3 = new S3Client({ region: options.region });
  const prefix = `results/${options["run-id"]}/`;
  const results: AgentResult[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: options.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key?.endsWith(".json")) continue;
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: object.Key }))
      ).Body!.transformToString();
      results.push(JSON.parse(body) as AgentResult);
    }
    token = page.NextContinuationToken;
  } while (token);
  if (results.length === 0)
    throw new Error(
      `no agent results under s3://${options.bucket}/${prefix} (agents still running, or a different --run-id?)`,
    );
  const { recorder, summaryInputs } = mergeAgentResults(results);
  const audit = options.table
    ? await auditTable(createDocumentClient({ region: options.region }), options.table)
    : undefined;
  const summary: RunSummary = buildSummary(recorder, {
    runId: options["run-id"],
    kind: "fleet",
    startedAt: new Date(recorder.startedAtEpochMs).toISOString(),
    target: {
      bucket: options.bucket,
      agents: String(results.length),
      ...(options.table ? { table: options.table } : {}),
    },
    scenario: { agents: results.map((r) => r.instanceId) },
    purchases: { confirmed: summaryInputs.confirmed, confirmedPerSecond: 0 },
    selfCheck: summaryInputs.selfCheck,
    ...(audit ? { audit } : {}),
    notes: [
      `merged ${results.length} agents' histograms`,
      ...(audit ? [] : ["no --table given: the invariants were not audited"]),
    ],
  });
  const dir = writeResults(summary, recorder.toData());
  console.log(formatSummary(summary));
  console.log(`report: ${join(dir, "report.html")}`);
  return summary.verdict === "FAILED" ? 1 : summary.verdict === "INVALID" ? 3 : 0;
}
