/**
 * Metrics counted from the API stage's JSON access log (infra/src/components/api.ts writes `status` as a
 * string). API Gateway's own 5xx metric lumps the deliberate 503 TRY_AGAIN with real failures, so a busy sale
 * would page ops; these count only what means something is broken.
 */
export interface AccessLogMetric {
  /** Metric name in the stack's metrics namespace. */
  metricName: string;
  statuses: readonly string[];
  /** A further condition on the line (a JSON filter term), ANDed with the statuses. */
  where?: string;
  description: string;
}

export const ACCESS_LOG_METRICS = {
  /** A 500 is a bug in a handler; 502 a crashed or malformed Lambda response; 504 an integration timeout. */
  serverErrors: {
    metricName: "ServerErrors",
    statuses: ["500", "502", "504"],
    description: "API answers 500, 502 or 504 (not the deliberate 503 TRY_AGAIN)",
  },
  /**
   * Refused by the JWT authorizer: no, bad or expired token (401) or a token without the route's scope (403).
   * Only those: the app's own 401/403 (NOT_ADMITTED from the waiting room, a missing sub claim) come from a
   * function, so its integration ran. An authorizer refusal never reaches the integration, and API Gateway
   * logs a variable without a value as "-" (`integrationLatency` is `$context.integrationLatency`; the
   * authorizer's message is in `authorizerError`, `$context.authorizer.error`).
   */
  authorizerFailures: {
    metricName: "AuthorizerFailures",
    statuses: ["401", "403"],
    where: '$.integrationLatency = "-"',
    description: "requests the JWT authorizer refused (401/403 that never reached a function)",
  },
} as const satisfies Record<string, AccessLogMetric>;

/** A CloudWatch Logs JSON filter pattern matching any of the statuses (and the `where` term, if any). */
export function statusFilterPattern(statuses: readonly string[], where?: string): string {
  const anyStatus = statuses.map((status) => `($.status = "${status}")`).join(" || ");
  return where ? `{ (${anyStatus}) && (${where}) }` : `{ ${anyStatus} }`;
}
