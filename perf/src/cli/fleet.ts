import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createDocumentClient } from "@flash-sale/services/store";
import { createProduct } from "@flash-sale/services/store";
import { bundleAgent } from "../agent/bundle";
import { AGENT_KEY, SCENARIO_KEY, type AgentScenario } from "../agent/scenario";
import { resultsDir } from "../report/write";
import { saleProduct } from "../scenario/flash-sale";
import { cachedPassword, ensureShoppers } from "../scenario/shoppers";
import { helpText, parseOptions, UsageError, type OptionSpecs } from "@flash-sale/services/cli";
import { newRunId, RUN_OPTIONS } from "../run/options";
import { scenarioOf } from "../run/scenario-of";

const {
  api: _api,
  fresh: _fresh,
  "engine-seconds": _engine,
  quiet: _quiet,
  "lag-limit-ms": _lag,
  ...SALE_OPTIONS
} = RUN_OPTIONS;

const FLEET_OPTIONS = {
  bucket: { type: "string", help: "the results bucket infra created (agents read agent/ and write results/)" },
  api: { type: "string", help: "the deployed API's base URL" },
  "start-in": {
    type: "number",
    positive: true,
    default: 180,
    help: "seconds from now until every agent starts (time to boot and sign in)",
  },
  agents: {
    type: "number",
    default: 10,
    help: "agents infra will run (for the shopper count and the printout; rates are per agent)",
  },
  "shoppers-per-agent": {
    type: "number",
    positive: true,
    default: 200,
    help: "shoppers each agent signs in (a random subset of --shoppers)",
  },
  "dry-run": {
    type: "boolean",
    default: false,
    help: "bundle and write the files under perf/results/<runId>/ without touching AWS",
  },
  ...SALE_OPTIONS,
} satisfies OptionSpecs;

/**
 * Prepares a fleet run: shoppers created in the deployed pool, the product loaded to open after the
 * pre-sale phase, the agent bundled, and agent/agent.js + agent/scenario.json (with runId and the
 * shared start time) uploaded to the results bucket for infra's EC2 agents.
 */
export async function fleetCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, FLEET_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- fleet --bucket <bucket> --api <url> --user-pool-id <id> --client-id <id> --table <name> [options]",
        "Uploads the EC2 agent bundle and a scenario with a shared start time; each agent runs the flash sale at the given per-agent rates and uploads results/<runId>/<instance>.json. Then: npm run perf -- collect --bucket <bucket> --run-id <runId>.",
        FLEET_OPTIONS,
      ),
    );
    return 0;
  }
  const dryRun = options["dry-run"];
  const missing = (["bucket", "api", "user-pool-id", "client-id", "table"] as const).filter((name) => !options[name]);
  if (missing.length && !dryRun) throw new UsageError(`fleet needs ${missing.map((m) => `--${m}`).join(", ")}`);
  const sale = scenarioOf({
    ...options,
    api: options.api,
    fresh: false,
    "engine-seconds": 0,
    quiet: true,
    "lag-limit-ms": 50,
  });
  const runId = options["run-id"] ?? newRunId();
  const startAt = Date.now() + options["start-in"] * 1000;
  const target = {
    userPoolId: options["user-pool-id"] ?? "dry-run",
    clientId: options["client-id"] ?? "dry-run",
    region: options.region,
  };
  const product = saleProduct(runId, startAt, sale);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!dryRun) {
    await ensureShoppers(target, sale.shoppers, { log });
    const doc = createDocumentClient({ region: options.region });
    await createProduct(doc, options.table!, product);
    doc.destroy();
    log(
      `product ${product.sku} loaded into ${options.table}: ${product.units} units over ${product.shardCount} shards`,
    );
  }
  const scenario: AgentScenario = {
    format: "flash-sale-agent-scenario/1",
    runId,
    startAt,
    apiUrl: options.api ?? "https://dry-run.invalid",
    region: options.region,
    userPoolId: target.userPoolId,
    clientId: target.clientId,
    sku: product.sku,
    shopperCount: sale.shoppers,
    shopperPassword: dryRun ? "dry-run" : cachedPassword(target),
    shoppersPerAgent: Math.min(options["shoppers-per-agent"], sale.shoppers),
    sale,
    arrivals: options.arrivals === "poisson" ? "poisson" : "uniform",
    maxInFlight: options["max-in-flight"],
    timeoutMs: options["timeout-ms"],
  };
  const dir = join(resultsDir(), runId);
  const agentFile = join(dir, "agent.js");
  await bundleAgent(agentFile);
  const scenarioText = JSON.stringify(scenario, null, 2);
  writeFileSync(join(dir, "scenario.json"), scenarioText, { mode: 0o600 });
  if (dryRun) {
    console.log(`dry run: ${agentFile} and ${join(dir, "scenario.json")} written; nothing uploaded`);
    return 0;
  }
  const s3 = new S3Client({ region: options.region });
  await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: AGENT_KEY,
      Body: readFileSync(agentFile),
      ContentType: "application/javascript",
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: SCENARIO_KEY,
      Body: scenarioText,
      ContentType: "application/json",
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: `runs/${runId}/scenario.json`,
      Body: scenarioText,
      ContentType: "application/json",
    }),
  );
  console.log(
    `run ${runId}: agents start at ${new Date(startAt).toISOString()} (${options.agents} agents × ${sale.burstRate}/s peak = ${options.agents * sale.burstRate}/s)`,
  );
  console.log(`uploaded s3://${options.bucket}/${AGENT_KEY} and s3://${options.bucket}/${SCENARIO_KEY}`);
  console.log(
    `afterwards: npm run perf -- collect --bucket ${options.bucket} --run-id ${runId} --table ${options.table} --region ${options.region}`,
  );
  return 0;
}
