import { randomUUID } from "node:crypto";
import { Pool } from "undici";
import { loadavg } from "node:os";
import { benchEngine } from "../src/engine-bench";
import { startLocalStack } from "../src/stack";
import { createDocumentClient } from "@flash-sale/services/store";
import { createProduct, type NewProduct } from "@flash-sale/services/store";

export interface HttpVsRaw {
  concurrency: number;
  rounds: Array<{ raw: number; http: number; ratio: number }>;
  raw: number;
  http: number;
  ratio: number;
  loadAverage: number[];
}

const SHARDS = 16;
/** Each shopper may buy this many units: enough shoppers are signed in to buy every unit. */
const LIMIT = 100;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * HTTP purchases through the local stack (gateway, JWT check, handler, domain, one transaction) against
 * the same transaction sent straight to the same DynamoDB Local, at the same concurrency, in alternating
 * rounds after a warm-up, so both see an equally warm engine and machine. The ratio is the median of the
 * rounds' ratios. The HTTP client shares the stack's process, as the raw client does.
 */
export async function httpVsRaw(options: {
  concurrency: number;
  operations: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<HttpVsRaw> {
  const { concurrency, operations, rounds, log } = options;
  log(`Starting the local stack (DynamoDB Local in memory, warmed; purchases limited to ${concurrency} in flight)…`);
  const stack = await startLocalStack({
    dynamoInMemory: true,
    warm: true,
    quiet: true,
    say: (line) => log(line.trim()),
    functionLimits: { purchase: { maxInFlight: concurrency, maxQueue: concurrency * 2, maxQueueWaitMs: 10_000 } },
  });
  const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
  try {
    const hour = 3_600_000;
    const total = operations * (rounds + 1);
    const product = (sku: string): NewProduct => ({
      sku,
      name: sku,
      description: "bench",
      imageUrl: "/x.svg",
      priceCents: 100,
      currency: "EUR",
      saleStartsAt: new Date(Date.now() - hour).toISOString(),
      saleEndsAt: new Date(Date.now() + hour).toISOString(),
      perCustomerLimit: LIMIT,
      shardCount: SHARDS,
      units: total,
    });
    await createProduct(doc, stack.tableName, product("http"));
    const shopperCount = Math.ceil(total / LIMIT) + 1;
    log(`Signing in ${shopperCount} shoppers…`);
    const shoppers = await Promise.all(
      Array.from({ length: shopperCount }, (_, i) =>
        stack.createShopper(`bench-${i}-${randomUUID().slice(0, 6)}@example.com`, "Passw0rd!"),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the products reach the API's next snapshot

    // The shoppers' side costs this process CPU the raw path does not pay, so it is the cheaper client
    // (undici's pool, see perf/RESULTS.md "Generator capacity"), one connection per request in flight.
    const pool = new Pool(stack.apiUrl, { connections: concurrency });
    let bought = 0;
    const httpPurchase = async () => {
      const shopper = shoppers[bought++ % shopperCount]!;
      const body = JSON.stringify({ sku: "http", quantity: 1, idempotencyKey: randomUUID() });
      const response = await pool.request({
        method: "POST",
        path: "/purchases",
        headers: { authorization: `Bearer ${shopper.accessToken}`, "content-type": "application/json" },
        body,
      });
      await response.body.dump();
      if (response.statusCode !== 201) throw new Error(`HTTP ${response.statusCode}`);
    };
    // The same raw measurement as `npm run perf` (@flash-sale/local/engine-bench), `operations` at a time.
    const rawPurchases = async () =>
      (await benchEngine(doc, { seconds: 600, transactions: operations, concurrency, shards: SHARDS })).perSecond;

    log(`Warming both paths (${operations} each)…`);
    await throughput(operations, concurrency, httpPurchase);
    await rawPurchases();
    const results: Array<{ raw: number; http: number; ratio: number }> = [];
    for (let round = 0; round < rounds; round++) {
      const raw = await rawPurchases();
      const http = await throughput(operations, concurrency, httpPurchase);
      results.push({ raw: Math.round(raw), http: Math.round(http), ratio: Math.round((http / raw) * 100) / 100 });
      log(
        `  round ${round + 1}: raw ${Math.round(raw)}/s, HTTP ${Math.round(http)}/s, HTTP / raw ${(http / raw).toFixed(2)}`,
      );
    }
    await pool.close();
    const raw = median(results.map((r) => r.raw));
    const http = median(results.map((r) => r.http));
    // Each round compares two back-to-back measurements on an equally warm engine: the ratio is per round.
    return {
      concurrency,
      rounds: results,
      raw,
      http,
      ratio: median(results.map((r) => r.ratio)),
      loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
    };
  } finally {
    doc.destroy();
    await stack.stop();
  }
}

/** Runs `count` operations with at most `concurrency` in flight; returns operations per second. */
export async function throughput(
  count: number,
  concurrency: number,
  operation: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await operation(next++);
    }),
  );
  return count / ((performance.now() - started) / 1_000);
}
