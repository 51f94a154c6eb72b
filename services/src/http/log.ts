/**
 * Every line a function prints: one JSON line per request, a warning when
 * the engine faults, an error when something unexpected (a bug) breaks. All written by one Powertools for AWS
 * Lambda Logger, so each has the same keys (level, message, timestamp, service, and in Lambda the request id and
 * cold-start flag) for CloudWatch Logs Insights. Only route, status, latency, business outcome and the fault or
 * error: never tokens, bodies or the shopper's identity. Beside them, a purchase's business metrics as CloudWatch
 * EMF lines (metrics.ts), under the same on/off switch.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { PurchaseResult } from "../domain/types";
import { readEnvironment } from "./environment";
import { BUSINESS_METRICS, type PaymentSignal } from "./metric-names";
import { paymentMetrics, purchaseMetrics } from "./metrics";

export interface RequestLogLine {
  route: string;
  status: number;
  latencyMs: number;
  sku?: string;
  outcome?: string;
  requestId?: string;
}

export interface FunctionLog {
  request(line: RequestLogLine): void;
  /** The engine failed or timed out (the shopper got 503 TRY_AGAIN): a warning and the EngineFaults metric. */
  engineFault(route: string, fault: string): void;
  /** Something unexpected broke (the shopper got a 500). */
  bug(route: string, error: unknown): void;
  /** A purchase's outcome, as business metrics. */
  purchase(result: PurchaseResult): void;
  /** A payment signal (a webhook applied or refused, holds returned), as business metrics. */
  payment(signal: PaymentSignal, count?: number): void;
}

export interface LogOptions {
  serviceName: string;
  /** Where the business metrics go; BUSINESS_METRICS.defaultNamespace when absent. */
  metricsNamespace?: string;
  /** Whether to print; a function (the local stack's runtime switch) is asked per line. */
  logs: boolean | (() => boolean);
}

export function createLog(options: LogOptions): FunctionLog {
  const logger = new Logger({ serviceName: options.serviceName });
  const { logs } = options;
  const on = typeof logs === "function" ? logs : () => logs;
  const metricsOptions = {
    namespace: options.metricsNamespace ?? BUSINESS_METRICS.defaultNamespace,
    serviceName: options.serviceName,
  };
  const record = purchaseMetrics(metricsOptions);
  const count = paymentMetrics(metricsOptions);
  return {
    request(line) {
      if (!on()) return;
      if (line.status >= 500) logger.error("request", { ...line });
      else logger.info("request", { ...line });
    },
    engineFault(route, fault) {
      if (!on()) return;
      logger.warn("engine fault", { route, fault });
      count("engine-fault");
    },
    // Printed even with logs off: a bug must never go unseen. Powertools formats an Error (name, message, stack).
    bug(route, error) {
      logger.error("unexpected error", { route, error: error instanceof Error ? error : String(error) });
    },
    purchase(result) {
      if (on()) record(result);
    },
    payment(signal, n) {
      if (on()) count(signal, n);
    },
  };
}

let shared: FunctionLog | undefined;

/** The container's log, over its environment as it is when first asked: at a handler's creation (module load). */
export function containerLog(): FunctionLog {
  shared ??= createLog(readEnvironment());
  return shared;
}
