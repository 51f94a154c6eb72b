import { loadavg } from "node:os";
import { join } from "node:path";
import { createDocumentClient } from "@flash-sale/services/store";
import { createProduct } from "@flash-sale/services/store";
import { auditTable } from "../audit/scan";
import { createHttpClient } from "../load/http-client";
import { startStackProcess } from "../local/stack-process";
import { cacheDir, ensureShoppers } from "../scenario/shoppers";
import {
  runWaitingRoomSale,
  waitingRoomProduct,
  type ShopperRecord,
  type WaitingRoomScenario,
} from "../scenario/waiting-room";
import { spearman } from "@flash-sale/local/rank-correlation";
import { helpText, parseOptions, type OptionSpecs } from "@flash-sale/services/cli";
import { newRunId } from "../run/options";

export const WAITING_ROOM_OPTIONS = {
  units: { type: "number", positive: true, default: 100, help: "units on sale" },
  shoppers: { type: "number", default: 0, help: "shoppers joining before the opening (0 = 10 x units)" },
  bots: {
    type: "number",
    default: 50,
    help: "shoppers who never join and try to buy anyway (no pass, forged pass, copied pass)",
  },
  rate: {
    type: "number",
    positive: true,
    default: 20,
    help: "shoppers admitted per second (the local gateway confirms ~16-22 purchases/s on 2 shared cores: perf/RESULTS.md)",
  },
  "join-seconds": {
    type: "number",
    positive: true,
    default: 20,
    help: "joins are spread over this many seconds before the opening",
  },
  shards: { type: "number", positive: true, default: 4, help: "stock shards" },
  "bot-rate": { type: "number", positive: true, default: 20, help: "bot purchase attempts per second during the sale" },
  "max-seconds": {
    type: "number",
    positive: true,
    default: 180,
    help: "stop waiting for shoppers this long after the opening",
  },
  fresh: {
    type: "boolean",
    default: false,
    help: "a throw-away stack instead of the one kept in perf/.cache/local-stack",
  },
} satisfies OptionSpecs;

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

/**
 * `npm run perf -- waiting-room` (or `--waiting-room`): 10x more shoppers than units join a waiting room
 * before the opening, against the local stack with the API's DynamoDB calls metered per shopper partition.
 */
export async function waitingRoomCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, WAITING_ROOM_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- waiting-room [options]",
        "A waiting-room sale on the local stack: shoppers (10x the units) join before the opening, poll as told, buy when admitted; bots try to buy without being admitted. Prints admission wait, purchases/s, the fairness statistic, DynamoDB calls made for non-admitted attempts and the table audit. Exit 1 when a check fails.",
        WAITING_ROOM_OPTIONS,
      ),
    );
    return 0;
  }
  const units = options.units;
  const scenario: WaitingRoomScenario = {
    units,
    shoppers: options.shoppers > 0 ? options.shoppers : 10 * units,
    bots: Math.max(0, options.bots),
    rate: options.rate,
    joinSeconds: options["join-seconds"],
    shards: options.shards,
    botRate: options["bot-rate"],
    maxSeconds: options["max-seconds"],
  };
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const runId = newRunId();
  log(`starting the local stack (API DynamoDB calls metered per shopper partition)...`);
  const stack = await startStackProcess({
    ...(options.fresh ? {} : { dataDir: join(cacheDir(), "local-stack") }),
    meter: true,
  });
  try {
    const pool = {
      userPoolId: stack.userPoolId,
      clientId: stack.userPoolClientId,
      region: stack.region,
      endpoint: stack.cognitoEndpoint,
    };
    const everyone = await ensureShoppers(pool, scenario.shoppers + scenario.bots, { log });
    const shoppers = everyone.slice(0, scenario.shoppers);
    const bots = everyone.slice(scenario.shoppers);
    const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
    const opensAt = Date.now() + (scenario.joinSeconds + 3) * 1000;
    const product = waitingRoomProduct(runId, opensAt, scenario);
    await createProduct(doc, stack.tableName, product);
    const loadBefore = load();
    log(
      `${product.sku}: ${scenario.units} units over ${scenario.shards} shards, ${scenario.rate} admitted/s, opens ${product.saleStartsAt}; ${scenario.shoppers} shoppers join in the ${scenario.joinSeconds} s before, ${scenario.bots} bots`,
    );

    const client = createHttpClient(stack.apiUrl, { connections: 512, timeoutMs: 30_000 });
    const { shoppers: records, bots: botRecords } = await runWaitingRoomSale({
      client,
      shoppers,
      bots,
      sku: product.sku,
      opensAt,
      scenario,
    });
    await client.close();
    const loadAfter = load();
    const meter = await stack.meter();
    log("auditing the table (consistent Scan)...");
    const audit = await auditTable(doc, stack.tableName);
    doc.destroy();

    const report = summarize(
      records,
      botRecords,
      meter?.bySub ?? {},
      bots.map((bot) => bot.sub),
      opensAt,
      scenario,
    );
    const productAudit = audit.products.find((entry) => entry.sku === product.sku);
    const lines = [
      `waiting-room run ${runId}: ${scenario.shoppers} shoppers joined in the ${scenario.joinSeconds} s before the opening for ${scenario.units} units (${(scenario.shoppers / scenario.units).toFixed(0)}x), ${scenario.rate} admitted/s, ${scenario.bots} bots`,
      `  machine load average (1/5/15 min): ${loadBefore} at the start, ${loadAfter} at the end (2 cores, shared)`,
      `  admission wait (opening -> admitted): ${report.admitted} shoppers admitted, p50 ${seconds(report.waitP50)}, p99 ${seconds(report.waitP99)}`,
      `  purchases: ${report.bought} confirmed; ${report.purchasesPerSecond.toFixed(1)} purchases/s from the first to the last confirmation`,
      `  sold out: ${report.toldSoldOut} shoppers told by their own next poll, p50 ${seconds(report.toldP50)}, p99 ${seconds(report.toldP99)} after the last unit sold (the storefront also learns it from the catalog feed, every ~2 s); ends: ${JSON.stringify(report.ends)}`,
      `  fairness: Spearman rank correlation of join time vs admission time over the ${report.admitted} admitted = ${report.rho.toFixed(3)}; winners from the first 10% to join: ${report.firstDecileShare}%, from the last 10%: ${report.lastDecileShare}% (10% each if joining time buys nothing)`,
      `  non-admitted purchase attempts: ${report.botAttempts} sent by ${scenario.bots} bots, ${report.botRefused} answered 403 NOT_ADMITTED (${JSON.stringify(report.botKinds)}); DynamoDB calls touching the bots' partitions: ${report.botReads} reads, ${report.botWrites} writes (control: the ${report.bought} buyers' partitions took ${report.buyerWrites} writes)`,
      `  polls per shopper: mean ${report.pollsMean.toFixed(1)}, max ${report.pollsMax}; API DynamoDB calls in all: ${meter?.calls ?? "?"} (${meter?.writes ?? "?"} writes)`,
      `  audit: ${audit.ok ? "passed" : "FAILED"} (${audit.items} items, ${audit.orders} orders, ${audit.violations.length} violations); oversold: ${productAudit && productAudit.orderedUnits > productAudit.unitsSold ? "YES" : "no"}; units sold ${productAudit?.unitsSold} of ${productAudit?.loadedUnits}, ${productAudit?.availableUnits} left; per-customer limits held: ${audit.violations.some((v) => v.invariant === "over-limit") ? "NO" : "yes"}`,
    ];
    for (const violation of audit.violations.slice(0, 10)) lines.push(`    ! ${violation.message}`);
    const stranded =
      productAudit !== undefined && productAudit.availableUnits > 0 && (report.ends["sold-out"] ?? 0) > 0;
    const checks = [
      ["audit passed", audit.ok],
      ["every non-admitted attempt refused with 403", report.botRefused === report.botAttempts],
      ["no DynamoDB write for non-admitted attempts", report.botWrites === 0],
      ["no unit stranded while shoppers were told sold out", !stranded],
      ["fairness |rho| < 0.35", Math.abs(report.rho) < 0.35],
    ] as const;
    const failed = checks.filter(([, ok]) => !ok).map(([name]) => name);
    lines.push(`  verdict: ${failed.length === 0 ? "PASSED" : `FAILED (${failed.join("; ")})`}`);
    console.log(lines.join("\n"));
    return failed.length === 0 ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

function summarize(
  records: ShopperRecord[],
  bots: { kind: string; status: number; code?: string }[],
  bySub: Record<string, { reads: number; writes: number }>,
  botSubs: string[],
  opensAt: number,
  scenario: WaitingRoomScenario,
) {
  const admitted = records.filter((record) => record.admittedAt !== undefined);
  const waits = admitted.map((record) => record.admittedAt! - opensAt);
  const confirmations = records.flatMap((record) => (record.confirmedAt !== undefined ? [record.confirmedAt] : []));
  const lastSold = confirmations.length > 0 ? Math.max(...confirmations) : opensAt;
  const firstSold = confirmations.length > 0 ? Math.min(...confirmations) : opensAt;
  const told = records.flatMap((record) =>
    record.end === "sold-out" && record.toldSoldOutAt !== undefined
      ? [Math.max(0, record.toldSoldOutAt - lastSold)]
      : [],
  );
  const byJoin = [...records].sort((a, b) => a.joinedAt - b.joinedAt);
  const decile = Math.max(1, Math.floor(records.length / 10));
  const share = (group: ShopperRecord[]) =>
    admitted.length === 0
      ? 0
      : Math.round((group.filter((record) => record.admittedAt !== undefined).length / admitted.length) * 1000) / 10;
  const ends: Record<string, number> = {};
  for (const record of records) ends[record.end] = (ends[record.end] ?? 0) + 1;
  const botKinds: Record<string, number> = {};
  for (const bot of bots)
    botKinds[`${bot.kind} ${bot.status}${bot.code ? ` ${bot.code}` : ""}`] =
      (botKinds[`${bot.kind} ${bot.status}${bot.code ? ` ${bot.code}` : ""}`] ?? 0) + 1;
  const botTouches = botSubs.map((sub) => bySub[sub] ?? { reads: 0, writes: 0 });
  // The control: the meter does see the partitions of shoppers who joined (join item) and bought (order, count).
  const buyerWrites = records
    .filter((record) => record.confirmedAt !== undefined)
    .reduce((sum, record) => sum + (bySub[record.sub]?.writes ?? 0), 0);
  return {
    admitted: admitted.length,
    waitP50: percentile(waits, 50),
    waitP99: percentile(waits, 99),
    bought: confirmations.length,
    purchasesPerSecond:
      confirmations.length > 1 && lastSold > firstSold ? confirmations.length / ((lastSold - firstSold) / 1000) : 0,
    toldSoldOut: told.length,
    toldP50: percentile(told, 50),
    toldP99: percentile(told, 99),
    ends,
    rho:
      admitted.length >= 2
        ? spearman(
            admitted.map((record) => record.joinedAt),
            admitted.map((record) => record.admittedAt!),
          )
        : 0,
    firstDecileShare: share(byJoin.slice(0, decile)),
    lastDecileShare: share(byJoin.slice(-decile)),
    botAttempts: bots.length,
    botRefused: bots.filter((bot) => bot.status === 403 && bot.code === "NOT_ADMITTED").length,
    botKinds,
    botReads: botTouches.reduce((sum, entry) => sum + entry.reads, 0),
    botWrites: botTouches.reduce((sum, entry) => sum + entry.writes, 0),
    buyerWrites,
    pollsMean: records.reduce((sum, record) => sum + record.polls, 0) / Math.max(1, records.length),
    pollsMax: Math.max(0, ...records.map((record) => record.polls)),
    units: scenario.units,
  };
}
