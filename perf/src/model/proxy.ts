import { randomUUID } from "node:crypto";
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { PartitionBudget } from "./budget";
import { writeCharge, type ItemCharge } from "./charges";

export interface ProxyOptions {
  /** DynamoDB Local's endpoint. */
  upstream: string;
  /** Write units per second each partition key may take (DynamoDB: 1,000; scaled down here). */
  unitsPerSecond: number;
  /** Cancel transactions that touch an item another in-flight transaction holds (TransactionConflict). */
  conflicts?: boolean;
  /** Milliseconds clock for the budget (tests freeze it); every bucket starts empty at the proxy's start. */
  clock?: () => number;
}

export interface ProxyStats {
  requests: number;
  writeRequests: number;
  throttled: number;
  conflicts: number;
  /** Write units the model charged (accepted writes, including ones whose conditions then failed). */
  chargedWriteUnits: number;
  /** What DynamoDB Local itself reported via ReturnConsumedCapacity (successful calls only). */
  consumedWriteUnits: number;
  consumedReadUnits: number;
  byOperation: Record<string, number>;
}

export interface ThrottlingProxy {
  endpoint: string;
  stats: ProxyStats;
  /** A new measurement: counters to zero, every partition's bucket empty again. */
  reset(): void;
  close(): Promise<void>;
}

const THROTTLE_MESSAGE =
  "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html";
const PREFIX = "com.amazonaws.dynamodb.v20120810#";

const emptyStats = (): ProxyStats => ({
  requests: 0,
  writeRequests: 0,
  throttled: 0,
  conflicts: 0,
  chargedWriteUnits: 0,
  consumedWriteUnits: 0,
  consumedReadUnits: 0,
  byOperation: {},
});

/**
 * A DynamoDB endpoint with partitions: forwards the JSON protocol to DynamoDB Local, but first charges
 * every write to the partition keys it touches and, over budget, answers the way DynamoDB does —
 * ProvisionedThroughputExceededException for single writes, TransactionCanceledException with a
 * ThrottlingError reason for transactions. DynamoDB Local has no partitions; this puts them back.
 */
export async function startThrottlingProxy(options: ProxyOptions): Promise<ThrottlingProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const budget = new PartitionBudget(options.unitsPerSecond, options.clock);
  const inFlightItems = new Map<string, number>();
  let stats = emptyStats();

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      handle(incoming, Buffer.concat(chunks), outgoing).catch((error: unknown) => {
        if (!outgoing.headersSent)
          reply(outgoing, 500, {
            __type: `${PREFIX}InternalServerError`,
            message: `throttling proxy: ${(error as Error).message}`,
          });
      });
    });
  });

  async function handle(incoming: IncomingMessage, raw: Buffer, outgoing: ServerResponse): Promise<void> {
    stats.requests++;
    const target = String(incoming.headers["x-amz-target"] ?? "");
    const operation = target.split(".").pop() ?? "";
    stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
    let body: Record<string, unknown> = {};
    try {
      body = raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      return forward(incoming, raw, outgoing, []);
    }
    const charge = writeCharge(target, body);
    if (charge.kind === "none") return forward(incoming, withConsumedCapacity(body, operation, raw), outgoing, []);
    stats.writeRequests++;

    if (charge.kind === "transaction" && options.conflicts) {
      const conflicting = charge.items.map((item) => inFlightItems.has(item.item));
      if (conflicting.some(Boolean)) {
        stats.conflicts++;
        budget.take(charge.items);
        return cancelTransaction(
          outgoing,
          conflicting.map((c) => (c ? "TransactionConflict" : "None")),
          "Transaction is ongoing for the item",
        );
      }
    }
    const short = new Set(budget.take(charge.items));
    if (short.size > 0) {
      stats.throttled++;
      if (charge.kind === "transaction") {
        return cancelTransaction(
          outgoing,
          charge.items.map((item) => (short.has(item.partition) ? "ThrottlingError" : "None")),
          THROTTLE_MESSAGE,
        );
      }
      return reply(outgoing, 400, {
        __type: `${PREFIX}ProvisionedThroughputExceededException`,
        message: THROTTLE_MESSAGE,
      });
    }
    stats.chargedWriteUnits += charge.items.reduce((sum, item) => sum + item.units, 0);
    return forward(
      incoming,
      withConsumedCapacity(body, operation, raw),
      outgoing,
      charge.kind === "transaction" ? charge.items : [],
    );
  }

  function forward(
    incoming: IncomingMessage,
    body: Buffer,
    outgoing: ServerResponse,
    held: ItemCharge[],
  ): Promise<void> {
    for (const item of held) inFlightItems.set(item.item, (inFlightItems.get(item.item) ?? 0) + 1);
    const release = () => {
      for (const item of held) {
        const n = (inFlightItems.get(item.item) ?? 1) - 1;
        if (n <= 0) inFlightItems.delete(item.item);
        else inFlightItems.set(item.item, n);
      }
    };
    return new Promise((resolve, reject) => {
      const headers = { ...incoming.headers, host: upstream.host, "content-length": String(body.length) };
      const upstreamRequest = request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers,
          agent,
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on("data", (chunk: Buffer) => parts.push(chunk));
          response.on("end", () => {
            release();
            const responseBody = Buffer.concat(parts);
            if (response.statusCode === 200)
              countConsumed(
                responseBody,
                String(incoming.headers["x-amz-target"] ?? "")
                  .split(".")
                  .pop() ?? "",
              );
            outgoing.writeHead(response.statusCode ?? 500, {
              ...response.headers,
              "content-length": String(responseBody.length),
            });
            outgoing.end(responseBody);
            resolve();
          });
          response.on("error", reject);
        },
      );
      upstreamRequest.on("error", (error) => {
        release();
        reject(error);
      });
      upstreamRequest.end(body);
    });
  }

  function countConsumed(responseBody: Buffer, operation: string): void {
    try {
      const parsed = JSON.parse(responseBody.toString("utf8")) as { ConsumedCapacity?: Capacity | Capacity[] };
      const list =
        parsed.ConsumedCapacity === undefined
          ? []
          : Array.isArray(parsed.ConsumedCapacity)
            ? parsed.ConsumedCapacity
            : [parsed.ConsumedCapacity];
      // DynamoDB Local reports CapacityUnits per call; the call's kind says whether they were reads or writes.
      const units = list.reduce(
        (sum, c) => sum + (c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0)),
        0,
      );
      if (READ_OPERATIONS.has(operation)) stats.consumedReadUnits += units;
      else if (WRITE_OPERATIONS.has(operation)) stats.consumedWriteUnits += units;
    } catch {
      // Not JSON: nothing to count.
    }
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get stats() {
      return stats;
    },
    reset() {
      stats = emptyStats();
      budget.reset();
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const READ_OPERATIONS = new Set(["GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"]);
const WRITE_OPERATIONS = new Set(["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"]);

/** Asks DynamoDB Local to report consumed capacity, so the proxy can meter reads and writes. */
function withConsumedCapacity(body: Record<string, unknown>, operation: string, raw: Buffer): Buffer {
  if (!READ_OPERATIONS.has(operation) && !WRITE_OPERATIONS.has(operation)) return raw;
  if (body.ReturnConsumedCapacity !== undefined && body.ReturnConsumedCapacity !== "NONE") return raw;
  return Buffer.from(JSON.stringify({ ...body, ReturnConsumedCapacity: "INDEXES" }));
}

function reply(outgoing: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  outgoing.writeHead(status, {
    "content-type": "application/x-amz-json-1.0",
    "x-amzn-requestid": randomUUID(),
    "content-length": String(Buffer.byteLength(text)),
  });
  outgoing.end(text);
}

function cancelTransaction(outgoing: ServerResponse, codes: string[], message: string): void {
  reply(outgoing, 400, {
    __type: `${PREFIX}TransactionCanceledException`,
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
    CancellationReasons: codes.map((code) => (code === "None" ? { Code: "None" } : { Code: code, Message: message })),
  });
}
