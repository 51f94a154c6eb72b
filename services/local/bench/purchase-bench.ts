/**
 * `npm run bench`: in one run on this machine, raw DynamoDB Local TransactWriteItems throughput next to
 * purchase() throughput through the domain, and the DynamoDB cost of a purchase and of a sold-out
 * rejection. Ratios within one run are what to compare; absolute figures depend on the machine.
 */
import { randomUUID } from "node:crypto";
import { WRITE_UNITS_PER_PURCHASE } from "@flash-sale/services/contract";
import { Shop } from "@flash-sale/services/domain";
import { startDynamoLocal } from "../src/dynamo-local";
import { createDocumentClient } from "@flash-sale/services/store";
import { benchEngine } from "../src/engine-bench";
import { DynamoShopStore } from "@flash-sale/services/store";
import { createProduct, type NewProduct } from "@flash-sale/services/store";
import { ensureTable } from "@flash-sale/services/store";
import { meterCalls } from "@flash-sale/services/testing";
import { httpVsRaw, throughput } from "./http-vs-raw";

const OPERATIONS = Number(process.env.BENCH_OPERATIONS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SHARDS = 16;

function product(sku: string, units: number): NewProduct {
  const hour = 3_600_000;
  return {
    sku,
    name: sku,
    description: "bench",
    imageUrl: "/x.svg",
    priceCents: 100,
    currency: "EUR",
    saleStartsAt: new Date(Date.now() - hour).toISOString(),
    saleEndsAt: new Date(Date.now() + hour).toISOString(),
    perCustomerLimit: 1,
    shardCount: SHARDS,
    units,
  };
}

async function main(): Promise<void> {
  process.stdout.write(
    `Starting DynamoDB Local (in memory)… ${OPERATIONS} operations per measurement, ${CONCURRENCY} in flight, ${SHARDS} shards\n`,
  );
  const dynamo = await startDynamoLocal();
  try {
    const settings = { tableName: "bench", region: "us-east-1", endpoint: dynamo.endpoint };
    const doc = createDocumentClient(settings);
    await ensureTable(doc, settings.tableName);
    const meter = meterCalls(doc);

    // Every product exists before any container takes its first catalog snapshot.
    await createProduct(doc, settings.tableName, product("shop", OPERATIONS));
    await createProduct(doc, settings.tableName, product("gone", SHARDS));
    await createProduct(doc, settings.tableName, product("warm-up", 200));
    const containers = Array.from({ length: 4 }, () => new Shop(new DynamoShopStore(doc, settings.tableName)));
    // Warm the JIT, the sockets and the engine so neither measurement pays for start-up.
    await throughput(200, CONCURRENCY, (i) =>
      containers[i % 4]!.purchase({ shopper: `warm-${i}`, sku: "warm-up", quantity: 1, idempotencyKey: randomUUID() }),
    );

    // 1. The engine alone: the transaction a purchase makes (the store's own builder), with no domain
    // logic around it; the same measurement as `npm run perf` (@flash-sale/local/engine-bench).
    const raw = (
      await benchEngine(doc, { seconds: 600, transactions: OPERATIONS, concurrency: CONCURRENCY, shards: SHARDS })
    ).perSecond;

    // 2. purchase() through the domain: snapshot, shard choice, the transaction, 4 containers.
    meter.reset();
    let confirmed = 0;
    const purchaseRefusals = new Map<string, number>();
    const domain = await throughput(OPERATIONS, CONCURRENCY, async (i) => {
      const result = await containers[i % 4]!.purchase({
        shopper: `shopper-${i}`,
        sku: "shop",
        quantity: 1,
        idempotencyKey: randomUUID(),
      });
      if (result.ok) confirmed++;
      else purchaseRefusals.set(result.code, (purchaseRefusals.get(result.code) ?? 0) + 1);
    });
    const purchaseWrites = meter
      .writes()
      .filter((call) => call.command === "TransactWriteItemsCommand" && !call.failed);
    const localUnits =
      purchaseWrites.reduce((sum, call) => sum + (call.consumedUnits ?? 0), 0) / Math.max(1, purchaseWrites.length);

    // 3. Rejections after the sell-out: the long tail of a flash sale.
    for (let i = 0; i < SHARDS + 1; i++)
      await containers[0]!.purchase({ shopper: `early-${i}`, sku: "gone", quantity: 1, idempotencyKey: randomUUID() });
    // Right after the sell-out, containers whose snapshot predates it still try shards they believe hold
    // units: each learns from failed conditions (charged writes) until its next snapshot (<= 1 s).
    meter.reset();
    await throughput(OPERATIONS, CONCURRENCY, (i) =>
      containers[i % 4]!.purchase({ shopper: `tail-${i}`, sku: "gone", quantity: 1, idempotencyKey: randomUUID() }),
    );
    const transitionWrites = meter.writes().length;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    meter.reset();
    let soldOut = 0;
    const refusals = new Map<string, number>();
    const rejections = await throughput(OPERATIONS, CONCURRENCY, async (i) => {
      const result = await containers[i % 4]!.purchase({
        shopper: `late-${i}`,
        sku: "gone",
        quantity: 1,
        idempotencyKey: randomUUID(),
      });
      if (!result.ok && result.code === "SOLD_OUT") soldOut++;
      else {
        const code = result.ok ? "CONFIRMED" : result.code;
        refusals.set(code, (refusals.get(code) ?? 0) + 1);
      }
    });
    const rejectionWrites = meter.writes().length;
    const rejectionReads = meter.reads().filter((call) => call.command === "GetItemCommand").length;

    const rows: [string, string][] = [
      ["raw TransactWriteItems (3 items) /s", raw.toFixed(0)],
      [
        "purchase() through the domain /s",
        `${domain.toFixed(0)}  (${((domain / raw) * 100).toFixed(0)}% of raw; ${confirmed}/${OPERATIONS} confirmed${[...purchaseRefusals].map(([code, n]) => `, ${n} ${code}`).join("")})`,
      ],
      [
        "sold-out rejections /s",
        `${rejections.toFixed(0)}  (${soldOut}/${OPERATIONS} SOLD_OUT${[...refusals].map(([code, n]) => `, ${n} ${code}`).join("")})`,
      ],
      [
        "write units per purchase",
        `${localUnits.toFixed(1)} reported by DynamoDB Local; ${WRITE_UNITS_PER_PURCHASE} billed by AWS (3 transactional items x 2)`,
      ],
      ["transactions per purchase", (purchaseWrites.length / Math.max(1, confirmed)).toFixed(2)],
      [
        "writes in the first second after sell-out",
        `${transitionWrites} failed-condition transactions over ${OPERATIONS} rejections in 4 containers (each container learns its ${SHARDS} shards are empty)`,
      ],
      [
        "write units per sold-out rejection",
        `${rejectionWrites} writes in ${OPERATIONS} rejections once snapshots are fresh`,
      ],
      [
        "reads per sold-out rejection",
        `${(rejectionReads / OPERATIONS).toFixed(2)} GetItem on the shopper's own partition (replay check)`,
      ],
    ];
    process.stdout.write(`\n${rows.map(([name, value]) => `  ${name.padEnd(44)} ${value}`).join("\n")}\n\n`);
  } finally {
    await dynamo.stop();
  }

  const http = await httpVsRaw({
    concurrency: CONCURRENCY,
    operations: Math.min(OPERATIONS, 1_000),
    rounds: 5,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`
  HTTP purchase vs raw TransactWriteItems, same engine, ${http.concurrency} in flight, ${http.rounds.length} alternating rounds (medians):
    raw TransactWriteItems /s                  ${http.raw}
    HTTP POST /purchases /s (201s)             ${http.http}
    HTTP / raw (median of the rounds' ratios)  ${http.ratio.toFixed(2)}
    machine load average (1/5/15 min)          ${http.loadAverage.join(" / ")}

`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
