import { loadavg } from "node:os";
import { DEFAULT_FUNCTION_LIMITS } from "@flash-sale/local/function-limits";
import { statusLine } from "@flash-sale/services/cli";
import { PAYMENT_ENV } from "@flash-sale/services/routes";
import { createDocumentClient, createProduct } from "@flash-sale/services/store";
import { join } from "node:path";
import { auditTable } from "../audit/scan";
import { watchAgainstAudit } from "../audit/watch";
import { CheckoutBuyers, checkoutGoals, checkoutReport } from "../scenario/checkout";
import { cacheDir } from "../scenario/shoppers";
import { providerPayments, standinUndelivered, watchHolds } from "./checkout-watch";
import { benchEngine, type EngineBench } from "@flash-sale/local/engine-bench";
import { benchEngineUntilSteady } from "../engine/warm";
import { confirmedPurchase, createHttpClient } from "../load/http-client";
import { type LoopState, runOpenLoop } from "../load/open-loop";
import { Recorder } from "../load/recorder";
import { type ArrivalProcess, buildSchedule } from "../load/schedule";
import { startSelfCheck } from "../load/self-check";
import { liveStatus } from "../load/live-status";
import { buildSummary, purchaseThroughput, type RunSummary } from "../report/summary";
import { writeResults } from "../report/write";
import { flashSaleExecutor, flashSalePhases, saleProduct } from "../scenario/flash-sale";
import { ensureShoppers } from "../scenario/shoppers";
import { localNote } from "./cpu-placement";
import { newRunId, type RunOptions } from "./options";
import { scenarioOf } from "./scenario-of";
import { openTarget } from "./target";

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
  const arrivals = options.arrivals as ArrivalProcess;
  const runId = options["run-id"] ?? newRunId();
  const target = await openTarget(options, log);
  try {
    let engineBefore: EngineBench | undefined;
    let warmNote: string | undefined;
    if (target.dynamoEndpoint && options["engine-seconds"] > 0) {
      log(
        `measuring DynamoDB Local alone, ${options["engine-seconds"]} s at a time, until two measures in a row agree within 5%...`,
      );
      const steady = await benchEngineUntilSteady(target.dynamoEndpoint, {
        seconds: options["engine-seconds"],
        concurrency: purchaseInFlight(options),
        maxRounds: options["engine-rounds"],
        onMeasure: (bench) =>
          log(`  ${bench.perSecond} purchase-shaped transactions/s with ${bench.concurrency} in flight`),
      });
      engineBefore = steady.bench;
      warmNote = `the engine alone before the sale, measured until its rate stopped rising: ${steady.rates.join(" → ")} tx/s (${steady.steady ? "the last two within 5%" : `still not within 5% after ${steady.rates.length} measures`})`;
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
    const buyers = scenario.holdSeconds ? new CheckoutBuyers() : undefined;
    const execute = flashSaleExecutor({
      client,
      shoppers,
      sku: product.sku,
      options: scenario,
      phaseNames: schedule.phaseNames,
      ...(buyers ? { onCreated: (body: string, shopper: { sub: string }) => buyers.onCreated(body, shopper.sub) } : {}),
    });
    let state: LoopState | undefined;
    const status = liveStatus(recorder);
    const progress = statusLine(() => (state ? status(state) : ""), { quiet: options.quiet });
    log(
      `${schedule.at.length} requests over ${schedule.durationMs / 1000} s (${schedule.phaseNames.join(" → ")}), ${scenario.shoppers} shoppers`,
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
    const monitor = startSelfCheck({ maxLagP99Ms: options["lag-limit-ms"], minRateShare: 0.95 });
    const loopStart = Date.now();
    const stateFile = join(cacheDir(), "local-stack", "payments", "payment-standin.json");
    const readsStandin = target.kind === "local" && !options.fresh;
    // Held checkout: the holds are watched from the start of the load, so an expiry is seen when it happens.
    let watchDeadline: number | undefined;
    const watching =
      buyers && scenario.holdSeconds
        ? watchHolds(
            doc,
            target.tableName,
            buyers,
            () => watchDeadline,
            500,
            log,
            () => (readsStandin ? standinUndelivered(stateFile) : 0),
          )
        : undefined;
    const final = await runOpenLoop({
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
      onTick: (s) => {
        state = s;
        progress.tick();
      },
    });
    progress.done();
    const selfCheck = monitor.finish(recorder, final.dispatchWindowMs, schedule.durationMs);
    await client.close();

    let watched: Awaited<ReturnType<typeof watchHolds>> | undefined;
    if (buyers && scenario.holdSeconds && watching) {
      // Every hold made ends within its hold; payments are sent up to 60 s after their 201; then a margin.
      watchDeadline = Date.now() + (scenario.holdSeconds + 60 + 20) * 1000;
      log(
        `${buyers.holds.size} holds made; waiting until every hold has ended (at most ${Math.round((watchDeadline - Date.now()) / 1000)} s)...`,
      );
      watched = await watching;
      buyers.stop();
    }
    const payments = buyers && target.payments ? await providerPayments(target.payments, product.sku) : undefined;
    log(
      `auditing the table (consistent Scan)${payments ? `, with the payment provider's ${payments.length} checkouts` : ""}...`,
    );
    const audit = await auditTable(doc, target.tableName, payments);
    const watchNote = await watchAgainstAudit(doc, target.tableName, product.sku, audit);
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
      // The rate the goal judges: the seconds the burst sells, not the tail's trickle after it.
      purchases: purchaseThroughput(confirmations, {
        startMs: scenario.listingSeconds * 1000,
        endMs: (scenario.listingSeconds + scenario.burstSeconds) * 1000,
      }),
      selfCheck,
      audit,
      ...(engine ? { engine } : {}),
      ...(engineBefore ? { engineBefore } : {}),
      loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
      ...(buyers && watched
        ? (() => {
            const report = checkoutReport(
              [...buyers.holds.values()],
              watched.expiredSeenAt,
              watched.statusOf,
              watched.createdAtOf,
              watched.pollMs,
            );
            const saleOpen = Date.parse(product.saleStartsAt);
            const seconds = (loopStart + watched.waitedMs - saleOpen) / 1000;
            const auditNote = `${audit.violations.length} violations${payments ? `, ${payments.length} provider checkouts compared` : `, payments not compared (a deployed run without ${PAYMENT_ENV.secretKey})`}`;
            return {
              checkout: {
                ...report,
                confirmedPerSecond: Math.round((report.confirmed / Math.max(1, seconds)) * 10) / 10,
                waitedMs: watched.waitedMs,
                goals: checkoutGoals(report, audit.ok && payments !== undefined, auditNote),
              },
            };
          })()
        : {}),
      notes: [...(target.kind === "local" ? [localNote(target.cpus)] : []), ...(warmNote ? [warmNote] : []), watchNote],
    });
    const dir = writeResults(summary, recorder.toData());
    return { summary, dir, exitCode: summary.verdict === "FAILED" ? 1 : summary.verdict === "INVALID" ? 3 : 0 };
  } finally {
    await target.stop();
  }
}
