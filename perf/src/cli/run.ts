import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { join } from "node:path";
import { planCapacity } from "@flash-sale/services/contract";
import { createDocumentClient } from "@flash-sale/services/store";
import { createProduct } from "@flash-sale/services/store";
import { auditTable } from "../audit/scan";
import { benchEngine, type EngineBench } from "../engine/bench";
import { confirmedPurchase, createHttpClient } from "../load/http-client";
import { runOpenLoop } from "../load/open-loop";
import { progressPrinter } from "../load/progress";
import { Recorder } from "../load/recorder";
import { buildSchedule, type ArrivalProcess } from "../load/schedule";
import { startSelfCheck } from "../load/self-check";
import { startStackProcess, type StackProcess } from "../local/stack-process";
import { allowedCpus, pinProcess, placeEngine, type CpuPlacement } from "@flash-sale/local/cpu-affinity";
import { DEFAULT_FUNCTION_LIMITS } from "@flash-sale/local/function-limits";
import { buildSummary, purchaseThroughput, type RunSummary } from "../report/summary";
import { formatSummary } from "../report/text";
import { writeResults } from "../report/write";
import {
  flashSaleExecutor,
  flashSalePhases,
  saleProduct,
  STOREFRONT_FEED_POLL_MS,
  type FlashSaleOptions,
} from "../scenario/flash-sale";
import { cacheDir, ensureShoppers } from "../scenario/shoppers";
import { helpText, parseOptions, requirePositive, UsageError, type OptionSpecs } from "./args";

export const RUN_OPTIONS = {
  api: { type: "string", help: "a deployed API's base URL; without it the local stack is started in a child process" },
  "user-pool-id": {
    type: "string",
    help: "deployed: the Cognito user pool id (shoppers are created there with admin calls)",
  },
  "client-id": { type: "string", help: "deployed: the storefront's app client id (USER_PASSWORD_AUTH enabled)" },
  region: { type: "string", default: "us-east-1", help: "deployed: the AWS region" },
  table: { type: "string", help: "deployed: the DynamoDB table (the product is loaded and the audit reads it)" },
  shoppers: { type: "number", default: 200, help: "distinct shoppers (real users with their own tokens)" },
  units: {
    type: "number",
    default: 0,
    help: "units on sale; 0 = locally, enough for the engine's measured rate through most of the burst (deployed: 200)",
  },
  limit: {
    type: "number",
    default: 0,
    help: "per-customer limit; 0 = enough that the shoppers can buy every unit twice over (at least 2)",
  },
  shards: {
    type: "number",
    default: 0,
    help: "stock shards; 0 = planCapacity(burst rate) from services/src/domain/capacity.ts",
  },
  "listing-rate": {
    type: "number",
    default: 0,
    help: "pre-sale signed-in listing polls per second, shoppers in turn; 0 = every shopper's page loads it once during the pre-sale (shoppers ÷ listing-seconds)",
  },
  "feed-rate": {
    type: "number",
    default: 0,
    help: "pre-sale polls of the public availability feed per second; 0 = one per held connection every 2 s, as the storefront's waiting tabs poll it",
  },
  "listing-seconds": { type: "number", default: 5, help: "pre-sale phase length" },
  "burst-rate": {
    type: "number",
    default: 0,
    help: "peak requests per second when the sale opens; 0 = locally, --overload × the engine's measured rate (deployed: 150)",
  },
  overload: {
    type: "number",
    default: 10,
    help: "local, with --burst-rate 0: the burst offers this many times what DynamoDB Local alone commits per second",
  },
  "burst-seconds": { type: "number", default: 6, help: "burst phase length" },
  profile: { type: "string", default: "constant", help: "burst shape: constant, ramp or spike" },
  "tail-rate": { type: "number", default: 60, help: "requests per second after the sell-out" },
  "tail-seconds": { type: "number", default: 8, help: "tail phase length" },
  "replay-share": {
    type: "number",
    default: 0.02,
    help: "share of purchases that re-send an earlier intent (same idempotency key)",
  },
  arrivals: { type: "string", default: "uniform", help: "arrival process: uniform (evenly spaced) or poisson" },
  "max-in-flight": {
    type: "number",
    default: 4000,
    help: "requests in flight at once; more due are dropped and the run is INVALID",
  },
  connections: {
    type: "number",
    default: 1000,
    help: "keep-alive connections the generator holds, opened before the sale as waiting shoppers' browsers hold theirs; a request finding all busy waits (in its latency)",
  },
  "cold-connections": {
    type: "boolean",
    default: false,
    help: "do not open the connections before the sale: every connection is made in the opening burst",
  },
  "timeout-ms": { type: "number", default: 30000, help: "per-request timeout" },
  "lag-limit-ms": { type: "number", default: 50, help: "event-loop delay p99 above which the run is INVALID" },
  "engine-seconds": {
    type: "number",
    default: 4,
    help: "local: seconds of raw DynamoDB Local transactions before and after the sale, as many in flight as the purchase function takes (0 = skip)",
  },
  fresh: {
    type: "boolean",
    default: false,
    help: "local: a throw-away stack instead of the one kept in perf/.cache/local-stack",
  },
  "engine-cpu": {
    type: "string",
    default: "auto",
    help: "local: auto = DynamoDB Local on a CPU of its own and the rest on the others (with 2+ CPUs and taskset); none = all share every CPU",
  },
  disk: {
    type: "boolean",
    default: false,
    help: "local: DynamoDB Local on disk (as npm start runs it) instead of in memory",
  },
  "purchase-concurrency": {
    type: "number",
    default: 0,
    help: "local: the purchase function's in-flight limit in the gateway (0 = the gateway's default); more is queued briefly, then shed with 503",
  },
  "run-id": { type: "string", help: "name of the run (default: time + random)" },
  quiet: { type: "boolean", default: false, help: "no live progress line" },
} satisfies OptionSpecs;

export type RunOptions = ReturnType<typeof parseOptions<typeof RUN_OPTIONS>>;

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}-${randomBytes(2).toString("hex")}`;
}

/**
 * The scenario from the options. `engineRate` (DynamoDB Local's measured purchase-shaped transactions/s,
 * local runs) sizes what is left at 0: the burst at `overload` times it, and the stock to last through
 * most of the burst at that rate, so confirmed purchases/s measure the platform under overload.
 */
export function scenarioOf(options: RunOptions, engineRate?: number): FlashSaleOptions {
  const profile = options.profile;
  if (profile !== "constant" && profile !== "ramp" && profile !== "spike")
    throw new UsageError(`--profile must be constant, ramp or spike, got '${profile}'`);
  const burstSeconds = requirePositive("burst-seconds", options["burst-seconds"]);
  const burstRate =
    options["burst-rate"] > 0
      ? options["burst-rate"]
      : engineRate
        ? Math.round(requirePositive("overload", options.overload) * engineRate)
        : 150;
  const units = options.units > 0 ? options.units : engineRate ? Math.round(engineRate * burstSeconds * 0.8) : 200;
  const shoppers = requirePositive("shoppers", options.shoppers);
  const listingSeconds = requirePositive("listing-seconds", options["listing-seconds"]);
  if (!(options["feed-rate"] >= 0)) throw new UsageError(`--feed-rate must be 0 or more, got ${options["feed-rate"]}`);
  if (!(options["listing-rate"] >= 0))
    throw new UsageError(`--listing-rate must be 0 or more, got ${options["listing-rate"]}`);
  return {
    shoppers,
    units,
    perCustomerLimit: options.limit > 0 ? options.limit : Math.max(2, Math.ceil((2 * units) / shoppers)),
    shards: options.shards > 0 ? options.shards : planCapacity(burstRate).shards,
    listingRate: options["listing-rate"] > 0 ? options["listing-rate"] : Math.ceil(shoppers / listingSeconds),
    feedRate:
      options["feed-rate"] > 0
        ? options["feed-rate"]
        : Math.round((options.connections * 1000) / STOREFRONT_FEED_POLL_MS),
    listingSeconds,
    burstRate,
    burstSeconds,
    profile,
    tailRate: requirePositive("tail-rate", options["tail-rate"]),
    tailSeconds: requirePositive("tail-seconds", options["tail-seconds"]),
    replayShare: options["replay-share"],
  };
}

interface Target {
  kind: "local" | "deployed";
  /** Local: where DynamoDB Local and the rest run (undefined: all share every CPU). */
  cpus?: CpuPlacement;
  apiUrl: string;
  region: string;
  userPoolId: string;
  clientId: string;
  cognitoEndpoint?: string;
  tableName: string;
  dynamoEndpoint?: string;
  stop(): Promise<void>;
}

async function openTarget(options: RunOptions, log: (line: string) => void): Promise<Target> {
  if (options.api) {
    const missing = (["user-pool-id", "client-id", "table"] as const).filter((name) => !options[name]);
    if (missing.length) throw new UsageError(`with --api, also give ${missing.map((m) => `--${m}`).join(", ")}`);
    return {
      kind: "deployed",
      apiUrl: options.api,
      region: options.region,
      userPoolId: options["user-pool-id"]!,
      clientId: options["client-id"]!,
      tableName: options.table!,
      stop: async () => undefined,
    };
  }
  const { placement, restore } = cpuPlacement(options["engine-cpu"], log);
  log(`starting the local stack${options.fresh ? " (fresh)" : " (data kept in perf/.cache/local-stack)"}...`);
  const stack: StackProcess = await startStackProcess({
    ...(placement ? { engineCpus: placement.engine } : {}),
    ...(options.fresh ? {} : { dataDir: join(cacheDir(), "local-stack") }),
    dynamoOnDisk: options.disk,
    ...(options["purchase-concurrency"] > 0 ? { purchaseConcurrency: options["purchase-concurrency"] } : {}),
    onNews: log,
  }).catch((error: unknown) => {
    restore();
    throw error;
  });
  log(
    `local stack up: API ${stack.apiUrl}, DynamoDB Local ${stack.dynamoEndpoint} (${options.disk ? "on disk" : "in memory"}), cognito-local ${stack.cognitoEndpoint}`,
  );
  return {
    kind: "local",
    ...(placement ? { cpus: placement } : {}),
    apiUrl: stack.apiUrl,
    region: stack.region,
    userPoolId: stack.userPoolId,
    clientId: stack.userPoolClientId,
    cognitoEndpoint: stack.cognitoEndpoint,
    tableName: stack.tableName,
    dynamoEndpoint: stack.dynamoEndpoint,
    stop: async () => {
      await stack.stop();
      restore();
    },
  };
}

/**
 * With `auto` on a machine of two or more CPUs: DynamoDB Local on the last one alone, this process (the
 * generator) and everything it starts afterwards (the gateway and handlers, cognito-local) on the rest.
 * `restore` gives this process back the CPUs it had.
 */
function cpuPlacement(choice: string, log: (line: string) => void): { placement?: CpuPlacement; restore: () => void } {
  const unchanged = { restore: () => undefined };
  if (choice === "none") return unchanged;
  const allowed = allowedCpus();
  const placement = allowed && placeEngine(allowed);
  if (!allowed || !placement) {
    log(
      `note: DynamoDB Local shares the CPUs with everything else (${allowed ? "only one CPU is allowed" : "taskset is not available"})`,
    );
    return unchanged;
  }
  pinProcess(process.pid, placement.others);
  log(
    `CPUs: DynamoDB Local on ${placement.engine} alone; the generator, gateway and cognito-local on ${placement.others} (--engine-cpu none to share them)`,
  );
  return { placement, restore: () => pinProcess(process.pid, allowed.join(",")) };
}

function localNote(cpus: CpuPlacement | undefined): string {
  return cpus
    ? `local: DynamoDB Local ran alone on CPU ${cpus.engine}; the generator (its own process), the gateway with the handlers, and cognito-local shared CPU ${cpus.others}`
    : "local: the stack (gateway + handlers, DynamoDB Local, cognito-local) shares this machine's cores with the generator; the generator runs in its own process";
}

/** The purchase function's in-flight limit in the local gateway: the engine alone is measured with as many in flight. */
function purchaseInFlight(options: RunOptions): number {
  return options["purchase-concurrency"] > 0
    ? options["purchase-concurrency"]
    : DEFAULT_FUNCTION_LIMITS.purchase!.maxInFlight;
}

export interface RunResult {
  summary: RunSummary;
  dir: string;
  exitCode: number;
}

/**
 * The flash sale end to end: target up, shoppers signed in, product loaded with its sale opening when
 * the pre-sale phase ends, open-loop load, audit from the table, DynamoDB Local's own ceiling, report.
 */
export async function runFlashSale(
  options: RunOptions,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<RunResult> {
  scenarioOf(options); // refuse bad options before starting anything
  if (options["engine-cpu"] !== "auto" && options["engine-cpu"] !== "none")
    throw new UsageError(`--engine-cpu must be auto or none, got '${options["engine-cpu"]}'`);
  if (!Number.isInteger(options.connections) || options.connections < 1)
    throw new UsageError(`--connections must be a whole number of at least 1, got ${options.connections}`);
  const arrivals = options.arrivals as ArrivalProcess;
  if (arrivals !== "uniform" && arrivals !== "poisson")
    throw new UsageError(`--arrivals must be uniform or poisson, got '${options.arrivals}'`);
  const runId = options["run-id"] ?? newRunId();
  const target = await openTarget(options, log);
  try {
    let engineBefore: EngineBench | undefined;
    if (target.dynamoEndpoint && options["engine-seconds"] > 0) {
      log(`measuring DynamoDB Local alone (warm) for ${options["engine-seconds"]} s before the sale...`);
      engineBefore = await benchEngine(target.dynamoEndpoint, {
        seconds: options["engine-seconds"],
        concurrency: purchaseInFlight(options),
      });
      log(`  ${engineBefore.perSecond} purchase-shaped transactions/s with ${engineBefore.concurrency} in flight`);
    }
    const scenario = scenarioOf(options, engineBefore?.perSecond);
    const shoppers = await ensureShoppers(
      {
        userPoolId: target.userPoolId,
        clientId: target.clientId,
        region: target.region,
        ...(target.cognitoEndpoint ? { endpoint: target.cognitoEndpoint } : {}),
      },
      scenario.shoppers,
      { log },
    );
    const doc = createDocumentClient({
      region: target.region,
      ...(target.dynamoEndpoint ? { endpoint: target.dynamoEndpoint } : {}),
    });
    const startAt = Date.now() + 2_000;
    const product = saleProduct(runId, startAt, scenario);
    await createProduct(doc, target.tableName, product);
    log(
      `product ${product.sku}: ${product.units} units over ${product.shardCount} shards, limit ${product.perCustomerLimit}, sale opens ${product.saleStartsAt}`,
    );

    const schedule = buildSchedule(flashSalePhases(scenario), arrivals);
    const client = createHttpClient(target.apiUrl, {
      connections: options.connections,
      timeoutMs: options["timeout-ms"],
    });
    if (!options["cold-connections"]) {
      const opened = await client.openConnections(options.connections, "/availability");
      log(
        `${opened.connections} connections open before the sale (${opened.ms} ms), as waiting shoppers' browsers hold theirs`,
      );
    }
    const recorder = new Recorder([...schedule.phaseNames], startAt);
    const confirmations: number[] = [];
    const execute = flashSaleExecutor({
      client,
      shoppers,
      sku: product.sku,
      options: scenario,
      phaseNames: schedule.phaseNames,
    });
    const progress = progressPrinter(recorder, { quiet: options.quiet });
    log(
      `${schedule.at.length} requests over ${schedule.durationMs / 1000} s (${schedule.phaseNames.join(" → ")}), ${scenario.shoppers} shoppers`,
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
    const monitor = startSelfCheck({ maxLagP99Ms: options["lag-limit-ms"], minRateShare: 0.95 });
    const loopStart = Date.now();
    const state = await runOpenLoop({
      schedule,
      recorder,
      maxInFlight: options["max-in-flight"],
      execute: (index, phase) => {
        const request = execute(index, phase);
        return {
          kind: request.kind,
          done: request.done.then((label) => {
            if (confirmedPurchase(label)) confirmations.push(Date.now() - loopStart);
            return label;
          }),
        };
      },
      onTick: (s) => progress.tick(s),
    });
    progress.done();
    const selfCheck = monitor.finish(recorder, state.dispatchWindowMs, schedule.durationMs);
    await client.close();

    log("auditing the table (consistent Scan)...");
    const audit = await auditTable(doc, target.tableName);
    doc.destroy();
    let engine: EngineBench | undefined;
    if (target.dynamoEndpoint && options["engine-seconds"] > 0) {
      log(`measuring DynamoDB Local alone again for ${options["engine-seconds"]} s after the sale...`);
      engine = await benchEngine(target.dynamoEndpoint, {
        seconds: options["engine-seconds"],
        concurrency: purchaseInFlight(options),
      });
    }
    const summary = buildSummary(recorder, {
      runId,
      kind: target.kind,
      startedAt: new Date(startAt).toISOString(),
      target: {
        api: target.apiUrl,
        table: target.tableName,
        ...(target.dynamoEndpoint ? { dynamodb: target.dynamoEndpoint } : {}),
      },
      scenario: { ...scenario, sku: product.sku, arrivals, maxInFlight: options["max-in-flight"] },
      purchases: purchaseThroughput(confirmations),
      selfCheck,
      audit,
      ...(engine ? { engine } : {}),
      ...(engineBefore ? { engineBefore } : {}),
      loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
      notes: target.kind === "local" ? [localNote(target.cpus)] : [],
    });
    const dir = writeResults(summary, recorder.toData());
    return { summary, dir, exitCode: summary.verdict === "FAILED" ? 1 : summary.verdict === "INVALID" ? 3 : 0 };
  } finally {
    await target.stop();
  }
}

export async function runCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, RUN_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- [run] [options]",
        "A flash sale under open-loop load: pre-sale listing and availability-feed polls, the purchase burst when the sale opens (far more than the stock), the tail after the sell-out. Audits the table afterwards and writes perf/results/<runId>/ (summary.json, report.html). Exit 1 when the audit fails, 3 when the run is INVALID (generator-bound).",
        RUN_OPTIONS,
      ),
    );
    return 0;
  }
  const result = await runFlashSale(options);
  console.log(formatSummary(result.summary));
  console.log(`report: ${join(result.dir, "report.html")}`);
  console.log(`summary: ${join(result.dir, "summary.json")}`);
  return result.exitCode;
}
