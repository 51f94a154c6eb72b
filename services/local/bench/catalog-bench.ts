/**
 * `npm run bench -- catalog`: does the read path scale with the catalog? One local stack (gateway, handlers, one
 * DynamoDB Local in memory); the same open-loop load of `GET /availability`, `GET /products` and
 * `POST /purchases` (on the same 5 hot products) against a catalog of 5 products and of 1,000 products of 16
 * shards, in alternating rounds so both meet an equally warm engine. The large catalog's other 995 products are
 * put in and taken out of the catalog between rounds (their shards stay): their sales are open, so every one is
 * live stock the snapshot must account for. Prints p50/p99 side by side, the API container's DynamoDB reads per
 * second, the load average and a verdict (p99 within 20%).
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { helpText, parseOptions, progressBar } from "@flash-sale/services/cli";
import { batchPut, createDocumentClient, newProductItems, type NewProduct } from "@flash-sale/services/store";
import { Pool } from "undici";
import { startLocalStack } from "../src/stack";

const OPTIONS = {
  products: { type: "number", default: 1_000, whole: true, min: 6, max: 5_000, help: "products in the large catalog" },
  shards: { type: "number", default: 16, whole: true, min: 1, max: 64, help: "stock shards per product" },
  seconds: { type: "number", default: 8, positive: true, max: 120, help: "seconds of load per round" },
  rounds: { type: "number", default: 3, whole: true, min: 1, max: 10, help: "rounds per catalog size" },
  "feed-rate": { type: "number", default: 40, positive: true, max: 500, help: "GET /availability per second" },
  "listing-rate": { type: "number", default: 5, positive: true, max: 200, help: "GET /products per second" },
  "purchase-rate": { type: "number", default: 40, positive: true, max: 500, help: "POST /purchases per second" },
  "api-port": { type: "number", default: 0, whole: true, min: 0, max: 65_535, help: "the API's port (0: any free)" },
} as const;

const HOT = 5;
const SHOPPERS = 20;
const HOUR = 3_600_000;
const ROUTES = ["GET /availability", "GET /products", "POST /purchases"] as const;
type RouteName = (typeof ROUTES)[number];

/** Read requests and items read by command (BatchGetItem keys, GetItem, Query items returned). */
type Reads = Record<string, { requests: number; items: number }>;

function countRead(reads: Reads, command: string, items: number): void {
  const entry = (reads[command] ??= { requests: 0, items: 0 });
  entry.requests++;
  entry.items += items;
}

function aProduct(sku: string, shards: number, units: number): NewProduct {
  return {
    sku,
    name: `Product ${sku}`,
    description: "catalog bench",
    imageUrl: "/x.svg",
    priceCents: 1_000,
    currency: "EUR",
    saleStartsAt: new Date(Date.now() - HOUR).toISOString(),
    saleEndsAt: new Date(Date.now() + 6 * HOUR).toISOString(),
    perCustomerLimit: 1_000,
    shardCount: shards,
    units,
  };
}

/** Batch writes (25 items a request), four requests at once, with a progress bar. */
async function writeItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
  label: string,
  items: Record<string, unknown>[],
  write: (chunk: Record<string, unknown>[]) => Promise<void> = (chunk) => batchPut(doc, tableName, chunk),
): Promise<void> {
  const bar = progressBar(label, items.length);
  let done = 0;
  let next = 0;
  const chunkSize = 250;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < items.length) {
        const chunk = items.slice(next, next + chunkSize);
        next += chunkSize;
        await write(chunk);
        done += chunk.length;
        bar.update(done);
      }
    }),
  );
  bar.finish();
}

async function deleteItems(doc: DynamoDBDocumentClient, tableName: string, keys: Record<string, unknown>[]) {
  for (let start = 0; start < keys.length; start += 25) {
    let requests = keys.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } }));
    while (requests.length > 0) {
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/** The DynamoDB Local JVM this stack started (by its port on the command line), for its CPU time. */
function enginePid(endpoint: string): number | undefined {
  const port = new URL(endpoint).port;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.some((arg) => arg.endsWith("DynamoDBLocal.jar")) && args.includes(port)) return Number(entry);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return undefined;
}

/** CPU time (ms) a process has used, from /proc (Linux); 0 when unknown. */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / 100;
  } catch {
    return 0;
  }
}

const count = (counts: Map<string, number>, key: string, n = 1): void => {
  counts.set(key, (counts.get(key) ?? 0) + n);
};

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), OPTIONS);
  if (options.help) {
    process.stdout.write(
      `${helpText("npm run bench -- catalog [options]", "The read path's latency with 5 and with many products, side by side.", OPTIONS)}\n`,
    );
    return;
  }
  const { products: large, shards } = options;
  const reads: Reads = {};
  process.stdout.write(`Starting the local stack (DynamoDB Local in memory, warmed)…\n`);
  const stack = await startLocalStack({
    dynamoInMemory: true,
    warm: true,
    quiet: true,
    apiPort: options["api-port"],
    // The stack's news (engine warm-up) only; the mails of the bench's orders are not.
    say: (line) => {
      if (line.trim().startsWith("•") || line.includes("transactions/s")) process.stdout.write(`${line.trim()}\n`);
    },
    functionLimits: {},
    instrumentEngine: (doc) =>
      doc.middlewareStack.add(
        (next, context) => async (args) => {
          const command = String(context.commandName).replace(/Command$/, "");
          const input = args.input as { RequestItems?: Record<string, { Keys?: unknown[] }> };
          if (command === "BatchGetItem")
            countRead(
              reads,
              command,
              Object.values(input.RequestItems ?? {}).reduce((n, r) => n + (r.Keys?.length ?? 0), 0),
            );
          else if (command === "GetItem") countRead(reads, command, 1);
          const result = await next(args);
          if (command === "Query") countRead(reads, command, (result.output as { Count?: number }).Count ?? 0);
          return result;
        },
        { step: "initialize", name: "catalogBenchReads" },
      ),
  });
  const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
  try {
    const units = 1_000 * shards;
    const hot = Array.from({ length: HOT }, (_, i) => aProduct(`hot-${i}`, shards, units));
    const cold = Array.from({ length: large - HOT }, (_, i) =>
      aProduct(`cat-${String(i).padStart(5, "0")}`, shards, 16),
    );
    const coldItems = cold.map((product) => newProductItems(product));
    await writeItems(
      doc,
      stack.tableName,
      `Loading ${HOT + cold.length} products × ${shards} shards`,
      [...hot, ...cold].flatMap((product) => newProductItems(product).shards),
    );
    await batchPut(
      doc,
      stack.tableName,
      hot.map((product) => newProductItems(product).catalogItem),
    );
    const catalogItems = coldItems.map((item) => item.catalogItem);
    const catalogKeys = catalogItems.map((item) => ({ pk: item.pk, sk: item.sk }));

    process.stdout.write(`Signing in ${SHOPPERS} shoppers…\n`);
    const tokens = await Promise.all(
      Array.from(
        { length: SHOPPERS },
        async (_, i) =>
          (await stack.createShopper(`catalog-${i}-${randomUUID().slice(0, 6)}@example.com`, "Passw0rd!")).accessToken,
      ),
    );
    const pool = new Pool(stack.apiUrl, { connections: 256 });
    const engine = enginePid(stack.dynamoEndpoint);
    let sent = 0;
    const ask = async (route: RouteName): Promise<number> => {
      const token = tokens[sent++ % SHOPPERS]!;
      const [method, path] = route.split(" ") as [string, string];
      const purchase = route === "POST /purchases";
      const response = await pool.request({
        method: method as "GET" | "POST",
        path,
        headers: {
          ...(route === "GET /availability" ? {} : { authorization: `Bearer ${token}` }),
          ...(purchase ? { "content-type": "application/json" } : {}),
        },
        ...(purchase
          ? {
              body: JSON.stringify({
                sku: `hot-${sent % HOT}`,
                quantity: 1,
                idempotencyKey: randomUUID(),
              }),
            }
          : {}),
      });
      await response.body.arrayBuffer();
      return response.statusCode;
    };

    /** Open loop: each route at its rate for `seconds`; latency counted from each request's planned start. */
    const round = async (seconds: number) => {
      const latencies = new Map<RouteName, number[]>(ROUTES.map((route) => [route, []]));
      const statuses = new Map<string, number>();
      const rates: Record<RouteName, number> = {
        "GET /availability": options["feed-rate"],
        "GET /products": options["listing-rate"],
        "POST /purchases": options["purchase-rate"],
      };
      const before = structuredClone(reads);
      const cpu = process.cpuUsage();
      const engineCpu = cpuMsOf(engine);
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      await Promise.all(
        ROUTES.map(async (route) => {
          const every = 1_000 / rates[route];
          for (let i = 0; i < seconds * rates[route]; i++) {
            const planned = started + i * every;
            const wait = planned - performance.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            inFlight.push(
              ask(route).then(
                (status) => {
                  latencies.get(route)!.push(performance.now() - planned);
                  count(statuses, `${route} ${status}`);
                },
                () => count(statuses, `${route} failed`),
              ),
            );
          }
        }),
      );
      await Promise.all(inFlight);
      const elapsed = (performance.now() - started) / 1_000;
      const used = process.cpuUsage(cpu);
      return {
        /** CPU of this process (gateway, handlers, shop and the load's client) per second of the round, ms. */
        cpuMsPerSecond: (used.user + used.system) / 1_000 / elapsed,
        /** CPU of DynamoDB Local's JVM per second of the round, ms (0 when not found). */
        engineCpuMsPerSecond: (cpuMsOf(engine) - engineCpu) / elapsed,
        latencies,
        statuses,
        reads: Object.fromEntries(
          Object.entries(reads).map(([command, { requests, items }]) => [
            command,
            {
              requests: (requests - (before[command]?.requests ?? 0)) / elapsed,
              items: (items - (before[command]?.items ?? 0)) / elapsed,
            },
          ]),
        ) as Reads,
        load: loadavg()[0]!,
      };
    };

    type Result = Awaited<ReturnType<typeof round>>;
    const results: Record<"small" | "large", Result[]> = { small: [], large: [] };
    let inCatalog = false;
    const setCatalog = async (size: "small" | "large") => {
      if ((size === "large") === inCatalog) return;
      if (size === "large")
        await writeItems(doc, stack.tableName, `Putting ${cold.length} products in the catalog`, catalogItems);
      else
        await writeItems(
          doc,
          stack.tableName,
          `Taking ${cold.length} products out of the catalog`,
          catalogKeys,
          (chunk) => deleteItems(doc, stack.tableName, chunk),
        );
      inCatalog = size === "large";
      // The catalog is re-read a page per second: wait until the feed lists every product (the first time, their
      // shards are read as they arrive), then let the snapshot settle, unmeasured.
      const expected = size === "large" ? large : HOT;
      const waitStarted = performance.now();
      while (performance.now() - waitStarted < 60_000) {
        const response = await pool.request({ method: "GET", path: "/availability" });
        const feed = (await response.body.json()) as { products?: unknown[] };
        if (feed.products?.length === expected) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await round(3);
    };

    process.stdout.write(`Warming the API (one unmeasured round)…\n`);
    await setCatalog("small");
    await round(Math.min(5, options.seconds));
    for (let r = 0; r < options.rounds; r++) {
      for (const size of r % 2 === 0 ? (["small", "large"] as const) : (["large", "small"] as const)) {
        await setCatalog(size);
        process.stdout.write(
          `Round ${r + 1}/${options.rounds}: ${size === "small" ? HOT : large} products, ${options.seconds} s…\n`,
        );
        results[size].push(await round(options.seconds));
      }
    }
    await pool.close();

    const summary = (size: "small" | "large", route: RouteName) => {
      const all = results[size].flatMap((result) => result.latencies.get(route)!).sort((a, b) => a - b);
      return { p50: percentile(all, 50), p99: percentile(all, 99), count: all.length };
    };
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const lines: string[] = [
      "",
      `Catalog scale: ${HOT} vs ${large} products × ${shards} shards (all sales open), ${options.rounds} alternating rounds of ${options.seconds} s;`,
      `rates: ${options["feed-rate"]} feed/s, ${options["listing-rate"]} listing/s, ${options["purchase-rate"]} purchases/s (on the ${HOT} same products)`,
      "",
      `  ${"route".padEnd(20)} ${`${HOT} products p50 / p99 ms`.padEnd(28)} ${`${large} products p50 / p99 ms`.padEnd(30)} p99 ratio  verdict`,
    ];
    let pass = true;
    for (const route of ROUTES) {
      const small = summary("small", route);
      const big = summary("large", route);
      const ratio = big.p99 / small.p99;
      const ok = ratio <= 1.2;
      pass &&= ok;
      lines.push(
        `  ${route.padEnd(20)} ${`${small.p50.toFixed(1)} / ${small.p99.toFixed(1)}  (n=${small.count})`.padEnd(28)} ${`${big.p50.toFixed(1)} / ${big.p99.toFixed(1)}  (n=${big.count})`.padEnd(30)} ${ratio.toFixed(2).padStart(9)}  ${ok ? "ok" : "SLOWER"}`,
      );
    }
    for (const size of ["small", "large"] as const) {
      const label = size === "small" ? `${HOT} products` : `${large} products`;
      const commands = [...new Set(results[size].flatMap((r) => Object.keys(r.reads)))].sort();
      const rate = (command: string, what: "requests" | "items") =>
        mean(results[size].map((r) => r.reads[command]?.[what] ?? 0));
      const total = (what: "requests" | "items") => commands.reduce((sum, command) => sum + rate(command, what), 0);
      lines.push(
        `  API container's DynamoDB reads, ${label}: ${total("requests").toFixed(1)} requests/s, ${total("items").toFixed(0)} items/s (${commands.map((c) => `${c} ${rate(c, "requests").toFixed(1)}/s, ${rate(c, "items").toFixed(0)} items/s`).join("; ")})`,
      );
      const statuses = new Map<string, number>();
      for (const result of results[size]) for (const [key, n] of result.statuses) count(statuses, key, n);
      lines.push(`    answers: ${[...statuses].map(([key, n]) => `${key}: ${n}`).join(", ")}`);
      lines.push(
        `    CPU per second: this process (API and load client) ${mean(results[size].map((r) => r.cpuMsPerSecond)).toFixed(0)} ms, DynamoDB Local ${mean(results[size].map((r) => r.engineCpuMsPerSecond)).toFixed(0)} ms`,
      );
      lines.push(
        `    load average (1 min) after each round: ${results[size].map((r) => r.load.toFixed(2)).join(", ")}`,
      );
    }
    lines.push(
      `  machine load average now (1/5/15 min): ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" / ")}`,
    );
    lines.push(
      `  verdict: ${pass ? "PASS" : "FAIL"} (p99 with ${large} products within 20% of ${HOT} products on every route)`,
      "",
    );
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    doc.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
