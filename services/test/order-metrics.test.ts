/**
 * The order events' business metrics (events/order-metrics.ts): the EMF documents the consumer prints per order
 * event, as CloudWatch Logs turns them into the dashboard's confirmed, expired, refunded and revenue series.
 */
import type { OrderEvent, OrderEventKind } from "../src/domain/order-events";
import type { Order } from "../src/domain/types";
import { orderMetrics } from "../src/events/order-metrics";
import { BUSINESS_METRICS, ORDER_METRICS } from "../src/http/metric-names";
import { emfOf, jsonPrinted } from "./support/emf";

const order = {
  orderId: "o1",
  sku: "hot",
  quantity: 3,
  priceCents: 1250,
  totalCents: 3750,
  currency: "EUR",
  createdAt: "2026-01-01T00:00:00.000Z",
  status: "CONFIRMED",
} satisfies Order;

const environment = { logs: true, serviceName: BUSINESS_METRICS.service, metricsNamespace: "flash-sale-test" };
/** One container's effect, kept across tests as a container keeps it across batches. */
const effect = orderMetrics(environment);

const eventOf = (kind: OrderEventKind, changes: Partial<Order> = {}): OrderEvent => ({
  kind,
  shopper: "shopper-1",
  order: { ...order, ...changes },
});

const emitted = jsonPrinted;

/** An EMF document as the dashboard sees it: its metrics, and the values of its two dimensions. */
const read = (document: Record<string, any>) => ({
  ...emfOf(document),
  service: document[BUSINESS_METRICS.serviceDimension],
  currency: document[ORDER_METRICS.currencyDimension],
});

test("a confirmed order counts once, and its total is revenue in minor units under its currency", async () => {
  const documents = (await emitted(() => effect(eventOf("confirmed")))).map(read);

  expect(documents).toEqual([
    {
      namespace: "flash-sale-test",
      dimensions: [[BUSINESS_METRICS.serviceDimension]],
      values: { [ORDER_METRICS.confirmed]: 1 },
      units: ["Count"],
      service: BUSINESS_METRICS.service,
      currency: undefined,
    },
    {
      namespace: "flash-sale-test",
      dimensions: [[BUSINESS_METRICS.serviceDimension, ORDER_METRICS.currencyDimension]],
      values: { [ORDER_METRICS.revenue]: 3750 },
      units: ["Count"],
      service: BUSINESS_METRICS.service,
      currency: "EUR",
    },
  ]);
});

test.each([
  ["expired", ORDER_METRICS.expired],
  ["refunded", ORDER_METRICS.refunded],
] as const)("an order %s counts once as %s, with no revenue and no currency", async (kind, metric) => {
  const documents = (await emitted(() => effect(eventOf(kind)))).map(read);

  expect(documents).toEqual([
    {
      namespace: "flash-sale-test",
      dimensions: [[BUSINESS_METRICS.serviceDimension]],
      values: { [metric]: 1 },
      units: ["Count"],
      service: BUSINESS_METRICS.service,
      currency: undefined,
    },
  ]);
});

test("the currency dimension does not stick to the next event's counts", async () => {
  await emitted(() => effect(eventOf("confirmed", { currency: "USD" })));
  const [next] = (await emitted(() => effect(eventOf("expired")))).map(read);
  expect(next!.dimensions).toEqual([[BUSINESS_METRICS.serviceDimension]]);
  expect(next!.currency).toBeUndefined();
});

test("revenue is one series per currency", async () => {
  const revenue = async (currency: string, totalCents: number) =>
    read((await emitted(() => effect(eventOf("confirmed", { currency, totalCents }))))[1]!);
  expect(await revenue("USD", 999)).toMatchObject({ currency: "USD", values: { [ORDER_METRICS.revenue]: 999 } });
  expect(await revenue("JPY", 500)).toMatchObject({ currency: "JPY", values: { [ORDER_METRICS.revenue]: 500 } });
});

test("a cancelled order is no metric of the dashboard's", async () => {
  expect(await emitted(() => effect(eventOf("cancelled")))).toEqual([]);
});

test("a replayed record counts again (at least once: metrics are not the ledger)", async () => {
  const event = eventOf("refunded");
  const documents = [...(await emitted(() => effect(event))), ...(await emitted(() => effect(event)))];
  expect(documents.map((document) => read(document).values)).toEqual([
    { [ORDER_METRICS.refunded]: 1 },
    { [ORDER_METRICS.refunded]: 1 },
  ]);
});

test("with logs off (FLASH_SALE_LOGS=off) nothing is printed", async () => {
  const quiet = orderMetrics({ ...environment, logs: false });
  expect(await emitted(() => quiet(eventOf("confirmed")))).toEqual([]);
});

test("by default it takes the function's environment: POWERTOOLS_METRICS_NAMESPACE and the service", async () => {
  const saved = { ...process.env };
  process.env.POWERTOOLS_METRICS_NAMESPACE = "flash-sale-prod";
  delete process.env.FLASH_SALE_LOGS;
  try {
    const fromEnv = orderMetrics();
    const [document] = (await emitted(() => fromEnv(eventOf("expired")))).map(read);
    expect(document).toMatchObject({ namespace: "flash-sale-prod", service: BUSINESS_METRICS.service });
  } finally {
    process.env = saved;
  }
});
