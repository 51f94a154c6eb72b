/**
 * Business metrics ops watch during a sale, emitted by the purchase handler in CloudWatch's embedded metric
 * format (EMF) with Powertools for AWS Lambda: one JSON line per purchase on stdout, which CloudWatch Logs turns
 * into metrics in the function's namespace (no PutMetricData call, no extra latency). Locally the same lines
 * print on the gateway's stdout. The infra dashboard and alarms read these names (infra/src/monitoring).
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { PurchaseResult } from "../domain/types";
import { BUSINESS_METRICS } from "./metric-names";

const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || BUSINESS_METRICS.defaultNamespace,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || BUSINESS_METRICS.service,
});

/** Emits one EMF line describing a purchase's outcome. */
export function recordPurchase(result: PurchaseResult): void {
  // Read per call so the local stack can silence output without a restart (FLASH_SALE_LOGS=off).
  if (process.env.FLASH_SALE_LOGS === "off") return;
  if (result.ok) {
    metrics.addMetric(result.replayed ? BUSINESS_METRICS.replayed : BUSINESS_METRICS.confirmed, MetricUnit.Count, 1);
    if (result.attempts !== undefined)
      metrics.addMetric(BUSINESS_METRICS.shardHops, MetricUnit.Count, result.attempts - 1);
  } else if (result.code === "TRY_AGAIN") {
    metrics.addMetric(BUSINESS_METRICS.tryAgain, MetricUnit.Count, 1);
  } else {
    metrics.addDimension(BUSINESS_METRICS.codeDimension, result.code);
    metrics.addMetric(BUSINESS_METRICS.refused, MetricUnit.Count, 1);
  }
  metrics.publishStoredMetrics();
}
