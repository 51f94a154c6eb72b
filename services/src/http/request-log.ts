/**
 * One JSON line per request for CloudWatch Logs Insights. Only route, status, latency and business
 * outcome: never tokens, bodies or the shopper's identity.
 */
export interface RequestLogLine {
  route: string;
  status: number;
  latencyMs: number;
  sku?: string;
  outcome?: string;
  requestId?: string;
}

export function logRequest(line: RequestLogLine): void {
  // Read per call so the local stack can silence logs without a restart (FLASH_SALE_LOGS=off).
  if (process.env.FLASH_SALE_LOGS === "off") return;
  process.stdout.write(`${JSON.stringify({ level: line.status >= 500 ? "error" : "info", ...line })}\n`);
}
