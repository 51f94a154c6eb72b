import { BUSINESS_METRICS } from "./metric-names";

/**
 * What a function reads from its environment for logging and metrics, read once per container (when its handler is made,
 * at module load in Lambda), never per request.
 */
export interface FunctionEnvironment {
  /** False when FLASH_SALE_LOGS=off: no log lines (a fault drill or a load test would print thousands). */
  logs: boolean;
  /** POWERTOOLS_SERVICE_NAME, the `service` key of every log line and metric. */
  serviceName: string;
  /** POWERTOOLS_METRICS_NAMESPACE: where the business metrics go (`flash-sale-<stack>` in AWS). */
  metricsNamespace: string;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): FunctionEnvironment {
  return {
    logs: env.FLASH_SALE_LOGS !== "off",
    serviceName: env.POWERTOOLS_SERVICE_NAME || BUSINESS_METRICS.service,
    metricsNamespace: env.POWERTOOLS_METRICS_NAMESPACE || BUSINESS_METRICS.defaultNamespace,
  };
}
