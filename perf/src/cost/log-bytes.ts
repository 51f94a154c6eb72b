import { createLog, type FunctionLog } from "@flash-sale/services/http";

/**
 * Lambda's own lines per invocation (START, END, REPORT with its durations and memory), which CloudWatch
 * Logs ingests beside the function's: ~80 + ~60 + ~190 bytes in the text format. An assumption (no AWS
 * account here to read a real log group), named in the cost output.
 */
export const LAMBDA_PLATFORM_BYTES = 330;
/** CloudWatch Logs counts 26 bytes per event on top of its message (PutLogEvents' batch-size rule). */
export const EVENT_OVERHEAD_BYTES = 26;

/**
 * The bytes the purchase function itself prints for one confirmed purchase, measured by running the
 * functions' real log (services/src/http/log.ts: the request line and the purchase's EMF metrics line)
 * with its output captured, plus CloudWatch's per-event overhead. Not counted: Lambda's platform lines.
 */
export function measuredPurchaseLogBytes(): { bytes: number; events: number } {
  const log = createLog({ serviceName: "flash-sale-purchase", logs: true });
  const result: Parameters<FunctionLog["purchase"]>[0] = {
    ok: true,
    replayed: false,
    attempts: 1,
    order: {
      orderId: "0d7a1f8e-3b5c-4c1e-9a55-1c2b3d4e5f60",
      sku: "sneaker-drop-2026",
      quantity: 1,
      priceCents: 4_999,
      totalCents: 4_999,
      currency: "EUR",
      createdAt: "2026-11-24T10:00:00.123Z",
      status: "CONFIRMED",
    },
  };
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  try {
    log.request({
      route: "POST /purchases",
      status: 201,
      latencyMs: 23.4,
      sku: "sneaker-drop-2026",
      outcome: "CONFIRMED",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    });
    log.purchase(result);
  } finally {
    process.stdout.write = write;
  }
  const lines = written
    .join("")
    .split("\n")
    .filter((line) => line.length > 0);
  return {
    bytes: lines.reduce((sum, line) => sum + Buffer.byteLength(line) + EVENT_OVERHEAD_BYTES, 0),
    events: lines.length,
  };
}
