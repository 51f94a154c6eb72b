/**
 * The purchase handler's business metrics: real EMF lines (as CloudWatch Logs turns them into metrics) for
 * confirmed purchases with their shard hops, replays, TRY_AGAIN and refusals by code. The infra dashboard and
 * alarms read these names from services/src/http/metric-names.ts.
 */
import { readEnvironment } from "../src/http/environment";
import { createLog, type FunctionLog } from "../src/http/log";
import { BUSINESS_METRICS } from "../src/http/metric-names";
import type { Order, PurchaseResult } from "../src/domain/types";
import { capturingStdout } from "./support/emf";

const order = {
  orderId: "o1",
  sku: "hot",
  quantity: 1,
  priceCents: 100,
  totalCents: 100,
  currency: "EUR",
  createdAt: "2026-01-01T00:00:00.000Z",
  status: "CONFIRMED",
} satisfies Order;

/** One container's log, kept across tests as a container keeps it across requests. */
const containerLog = createLog({ serviceName: BUSINESS_METRICS.service, logs: true });

/** The EMF documents `log` prints for one purchase result. */
function emitted(result: PurchaseResult, log: FunctionLog = containerLog): Record<string, any>[] {
  const capture = capturingStdout();
  let documents: Record<string, any>[];
  try {
    log.purchase(result);
  } finally {
    documents = capture.done();
  }
  return documents;
}

/** Metric name -> value, and the dimension sets, of one EMF document. */
const read = (document: Record<string, any>) => {
  const directive = document._aws.CloudWatchMetrics[0];
  return {
    namespace: directive.Namespace,
    dimensions: directive.Dimensions,
    values: Object.fromEntries(
      directive.Metrics.map((metric: { Name: string }) => [metric.Name, document[metric.Name]]),
    ),
    code: document[BUSINESS_METRICS.codeDimension],
  };
};

test("a confirmed purchase counts once, with the shard hops it took", () => {
  const [document] = emitted({ ok: true, order, replayed: false, attempts: 3 });

  expect(read(document!)).toEqual({
    namespace: BUSINESS_METRICS.defaultNamespace,
    dimensions: [[BUSINESS_METRICS.serviceDimension]],
    values: { [BUSINESS_METRICS.confirmed]: 1, [BUSINESS_METRICS.shardHops]: 2 },
    code: undefined,
  });
  expect(document![BUSINESS_METRICS.serviceDimension]).toBe(BUSINESS_METRICS.service);
});

test("a replay is counted apart from confirmed purchases", () => {
  expect(read(emitted({ ok: true, order, replayed: true })[0]!).values).toEqual({ [BUSINESS_METRICS.replayed]: 1 });
});

test("TRY_AGAIN has its own metric, without a code dimension", () => {
  const document = read(
    emitted({ ok: false, code: "TRY_AGAIN", message: "busy", details: { retryAfterSeconds: 1 } })[0]!,
  );
  expect(document.values).toEqual({ [BUSINESS_METRICS.tryAgain]: 1 });
  expect(document.dimensions).toEqual([[BUSINESS_METRICS.serviceDimension]]);
});

test("refusals are one series per code, and the code does not stick to the next line", () => {
  const soldOut = read(emitted({ ok: false, code: "SOLD_OUT", message: "gone" })[0]!);
  const next = read(emitted({ ok: true, order, replayed: false, attempts: 1 })[0]!);

  expect(soldOut).toMatchObject({
    values: { [BUSINESS_METRICS.refused]: 1 },
    code: "SOLD_OUT",
    dimensions: [[BUSINESS_METRICS.serviceDimension, BUSINESS_METRICS.codeDimension]],
  });
  expect(next).toMatchObject({
    code: undefined,
    dimensions: [[BUSINESS_METRICS.serviceDimension]],
    values: { [BUSINESS_METRICS.shardHops]: 0 },
  });
});

test("a log switched off (FLASH_SALE_LOGS=off) prints no metrics", () => {
  const quiet = createLog(readEnvironment({ FLASH_SALE_LOGS: "off" }));
  expect(emitted({ ok: true, order, replayed: false, attempts: 1 }, quiet)).toEqual([]);
});

test("the namespace comes from POWERTOOLS_METRICS_NAMESPACE, read with the rest of the environment", () => {
  const deployed = createLog(readEnvironment({ POWERTOOLS_METRICS_NAMESPACE: "flash-sale-production" }));
  expect(read(emitted({ ok: true, order, replayed: true }, deployed)[0]!).namespace).toBe("flash-sale-production");
});

test("a held purchase counts as held, not confirmed; a provider failure is counted beside its TRY_AGAIN", () => {
  const held = read(emitted({ ok: true, order: { ...order, status: "PENDING_PAYMENT" }, replayed: false })[0]!);
  const failed = read(
    emitted({
      ok: false,
      code: "TRY_AGAIN",
      message: "provider down",
      details: { retryAfterSeconds: 1, cause: "payment-provider" },
    })[0]!,
  );

  expect(held.values).toEqual({ [BUSINESS_METRICS.held]: 1 });
  expect(failed.values).toEqual({ [BUSINESS_METRICS.tryAgain]: 1, [BUSINESS_METRICS.providerFailures]: 1 });
});

test("payment signals each have their own metric, with their count", () => {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    containerLog.payment("webhook-rejected");
    containerLog.payment("holds-expired", 7);
  } finally {
    write.mockRestore();
  }
  const documents = lines
    .join("")
    .split("\n")
    .filter(Boolean)
    .map((line) => read(JSON.parse(line)).values);

  expect(documents).toEqual([{ [BUSINESS_METRICS.webhooksRejected]: 1 }, { [BUSINESS_METRICS.holdsExpired]: 7 }]);
});
