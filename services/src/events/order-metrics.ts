import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { OrderEvent, OrderEventKind } from "../domain/order-events";
import { ORDER_METRICS } from "../http/metric-names";
import { type FunctionEnvironment, readEnvironment } from "../http/environment";
import type { OrderEventEffect } from "./order-events-handler";

const COUNTED: Partial<Record<OrderEventKind, string>> = {
  confirmed: ORDER_METRICS.confirmed,
  expired: ORDER_METRICS.expired,
  refunded: ORDER_METRICS.refunded,
};

/**
 * The order events as business metrics for the dashboard (confirmed, expired, refunded and revenue per
 * minute): CloudWatch EMF lines on stdout through Powertools, like the purchase handler's (http/metrics.ts),
 * which CloudWatch Logs turns into metrics in the consumer's namespace. A confirmed order writes two lines:
 * its count (dimension `service`) and its total in minor units (dimensions `service`, `currency`), so
 * the counts stay one series whatever the currency.
 *
 * At least once, deliberately: the stream may deliver a record again (a retried or bisected batch, a
 * crash mid-batch), and a replayed record counts again here. Metrics are a live view, not the ledger;
 * nothing here is claimed per order, because a count is not worth a write per event. The orders themselves
 * and `npm run stock -- reconcile` are the truth.
 *
 * Namespace, service and the on/off switch (FLASH_SALE_LOGS=off) come from the function's environment, read
 * once when the effect is made (at module load in Lambda), as for the handlers' log (http/log.ts).
 */
export function orderMetrics(environment: FunctionEnvironment = readEnvironment()): OrderEventEffect {
  const metrics = new Metrics({ namespace: environment.metricsNamespace, serviceName: environment.serviceName });
  return async (event: OrderEvent) => {
    const name = COUNTED[event.kind];
    if (!environment.logs || !name) return;
    metrics.addMetric(name, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    if (event.kind !== "confirmed") return;
    metrics.addDimension(ORDER_METRICS.currencyDimension, event.order.currency);
    metrics.addMetric(ORDER_METRICS.revenue, MetricUnit.Count, event.order.totalCents);
    metrics.publishStoredMetrics();
  };
}
