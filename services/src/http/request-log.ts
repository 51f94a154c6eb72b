/**
 * One JSON line per request for CloudWatch Logs Insights, written by Powertools for AWS Lambda's Logger (level,
 * message, timestamp, service, and in Lambda the request id and cold-start flag). Only route, status, latency
 * and business outcome: never tokens, bodies or the shopper's identity.
 */
import { Logger } from "@aws-lambda-powertools/logger";

export interface RequestLogLine {
  route: string;
  status: number;
  latencyMs: number;
  sku?: string;
  outcome?: string;
  requestId?: string;
}

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || "flash-sale" });

export function logRequest(line: RequestLogLine): void {
  // Read per call so the local stack can silence logs without a restart (FLASH_SALE_LOGS=off).
  if (process.env.FLASH_SALE_LOGS === "off") return;
  if (line.status >= 500) logger.error("request", { ...line });
  else logger.info("request", { ...line });
}
