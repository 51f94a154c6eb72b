/**
 * Business metrics ops watch during a sale, emitted by the purchase handler in CloudWatch's embedded metric
 * format (EMF) with Powertools for AWS Lambda: one JSON line per purchase on stdout, which CloudWatch Logs turns
 * into metrics in the function's namespace (no PutMetricData call, no extra latency). Locally the same lines
 * print on the gateway's stdout, through the function's log (log.ts), which owns the on/off switch. The infra dashboard and alarms read these names (infra/src/monitoring).
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { PurchaseResult } from "../domain/types";
import { BUSINESS_METRICS, type PaymentSignal } from "./metric-names";

export interface MetricsOptions {
  /** POWERTOOLS_METRICS_NAMESPACE in AWS (`flash-sale-<stack>`), read once with the rest of the environment. */
  namespace: string;
  serviceName: string;
}

/** One EMF line describing a purchase's outcome, per call of the function this returns. */
export function purchaseMetrics(options: MetricsOptions): (result: PurchaseResult) => void {
  const metrics = new Metrics(options);
  return (result) => {
    if (result.ok) {
      const name = result.replayed
        ? BUSINESS_METRICS.replayed
        : result.order.status === "PENDING_PAYMENT"
          ? BUSINESS_METRICS.held
          : BUSINESS_METRICS.confirmed;
      metrics.addMetric(name, MetricUnit.Count, 1);
      if (result.attempts !== undefined)
        metrics.addMetric(BUSINESS_METRICS.shardHops, MetricUnit.Count, result.attempts - 1);
    } else if (result.code === "TRY_AGAIN") {
      metrics.addMetric(BUSINESS_METRICS.tryAgain, MetricUnit.Count, 1);
      if (result.details?.cause === "payment-provider")
        metrics.addMetric(BUSINESS_METRICS.providerFailures, MetricUnit.Count, 1);
    } else {
      metrics.addDimension(BUSINESS_METRICS.codeDimension, result.code);
      metrics.addMetric(BUSINESS_METRICS.refused, MetricUnit.Count, 1);
    }
    metrics.publishStoredMetrics();
  };
}

const PAYMENT_METRIC: Record<PaymentSignal, string> = {
  confirmed: BUSINESS_METRICS.paymentsConfirmed,
  declined: BUSINESS_METRICS.paymentsDeclined,
  "refunded-late": BUSINESS_METRICS.latePaymentsRefunded,
  "webhook-rejected": BUSINESS_METRICS.webhooksRejected,
  "holds-expired": BUSINESS_METRICS.holdsExpired,
  "engine-fault": BUSINESS_METRICS.engineFaults,
};

/** One EMF line counting `count` of a payment signal, per call of the function this returns. */
export function paymentMetrics(options: MetricsOptions): (signal: PaymentSignal, count?: number) => void {
  const metrics = new Metrics(options);
  return (signal, count = 1) => {
    metrics.addMetric(PAYMENT_METRIC[signal], MetricUnit.Count, count);
    metrics.publishStoredMetrics();
  };
}
