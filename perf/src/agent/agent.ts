/**
 * The EC2 agent (bundled to agent.js by `npm run perf -- fleet`). Infra's user data runs:
 *   node agent.js --scenario scenario.json --bucket <bucket> --instance <id>
 * --scenario is a local file, or else a key in the bucket (default agent/scenario.json).
 */
import { existsSync, readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { helpText, parseOptions, type OptionSpecs } from "@flash-sale/services/cli";
import { runAgent } from "./run-agent";
import { parseScenario, resultKey, SCENARIO_KEY } from "./scenario";

const AGENT_OPTIONS = {
  scenario: { type: "string", default: SCENARIO_KEY, help: "scenario file, or its key in the bucket" },
  bucket: { type: "string", help: "the results bucket (scenario in, results/<runId>/<instance>.json out)" },
  instance: { type: "string", help: "this instance's id (names the result object)" },
  region: { type: "string", help: "the bucket's region (default: from the environment / instance metadata)" },
} satisfies OptionSpecs;

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), AGENT_OPTIONS);
  if (options.help || !options.bucket || !options.instance) {
    console.log(
      helpText(
        "node agent.js --scenario scenario.json --bucket <bucket> --instance <id>",
        "Flash-sale load agent: waits for the scenario's start time, runs it open-loop, uploads its HDR histograms and counters.",
        AGENT_OPTIONS,
      ),
    );
    return options.help ? 0 : 2;
  }
  const s3 = new S3Client(options.region ? { region: options.region } : {});
  const text = existsSync(options.scenario)
    ? readFileSync(options.scenario, "utf8")
    : await (
        await s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: options.scenario }))
      ).Body!.transformToString();
  const scenario = parseScenario(text);
  const result = await runAgent(scenario, options.instance, (line) => console.log(line));
  const key = resultKey(scenario.runId, options.instance);
  await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: key,
      Body: JSON.stringify(result),
      ContentType: "application/json",
    }),
  );
  console.log(`uploaded s3://${options.bucket}/${key}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
