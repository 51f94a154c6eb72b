/**
 * The CloudWatch dashboard body: the sale as the business sees it (confirmed purchases, refusals by code,
 * TRY_AGAIN, shard hops), payments (held purchases and what became of them, payment problems), the hold sweep's
 * runs, orders as the table's stream tells them (confirmed, expired, refunded, revenue) and its consumer's lag, real failures (500/502/504, authorizer refusals), the purchase route's latency, each function's health,
 * and the table's capacity and throttling.
 */
import { BUSINESS_METRICS, ORDER_METRICS } from "@flash-sale/services/contract";
import { ACCESS_LOG_METRICS } from "./access-log-metrics";

export interface DashboardInputs {
  region: string;
  apiId: string;
  stage: string;
  functions: { handler: string; functionName: string }[];
  /** The hold expiry sweep's function (also among `functions`). */
  holdSweepFunctionName: string;
  tableName: string;
  /** The business and access-log metrics' namespace. */
  namespace: string;
  purchaseRoute: { method: string; path: string };
  /** The table stream's consumer and its failure queue, when deployed (config `mailFrom`). */
  orderEvents?: { functionName: string; failureQueueName: string };
}

type Metric = (string | Record<string, unknown>)[] | [Record<string, unknown>];

interface Widget {
  type: "metric";
  width: number;
  height: number;
  properties: {
    title: string;
    region: string;
    metrics: Metric[];
    stat?: string;
    period: number;
    view: "timeSeries";
    stacked: false;
  };
}

function widget(title: string, region: string, metrics: Metric[], stat?: string): Widget {
  return {
    type: "metric",
    width: 12,
    height: 6,
    properties: { title, region, metrics, ...(stat ? { stat } : {}), period: 60, view: "timeSeries", stacked: false },
  };
}

export function dashboardBody(inputs: DashboardInputs): string {
  const { region, apiId, stage, tableName, namespace } = inputs;
  const service = [BUSINESS_METRICS.serviceDimension, BUSINESS_METRICS.service];
  const business = (metric: string, label: string): Metric => [namespace, metric, ...service, { label, stat: "Sum" }];
  const refusalsByCode = `SEARCH('{${namespace},${BUSINESS_METRICS.codeDimension},${BUSINESS_METRICS.serviceDimension}} MetricName="${BUSINESS_METRICS.refused}"', 'Sum', 60)`;
  const api = (metric: string, options: Record<string, unknown> = {}): Metric => [
    "AWS/ApiGateway",
    metric,
    "ApiId",
    apiId,
    "Stage",
    stage,
    options,
  ];
  const perFunction = (metric: string, stat: string): Metric[] =>
    inputs.functions.map(({ handler, functionName }) => [
      "AWS/Lambda",
      metric,
      "FunctionName",
      functionName,
      { label: handler, stat },
    ]);
  const sweep = (metric: string, label: string): Metric => [
    "AWS/Lambda",
    metric,
    "FunctionName",
    inputs.holdSweepFunctionName,
    { label, stat: "Sum" },
  ];
  const table = (metric: string, stat = "Sum"): Metric => ["AWS/DynamoDB", metric, "TableName", tableName, { stat }];
  // One revenue series per currency (the orders' own), in minor units: summing currencies would mean nothing.
  const revenueByCurrency = `SEARCH('{${namespace},${ORDER_METRICS.currencyDimension},${BUSINESS_METRICS.serviceDimension}} MetricName="${ORDER_METRICS.revenue}"', 'Sum', 60)`;
  const consumer = inputs.orderEvents;

  const widgets: Widget[] = [
    widget("Purchases per minute: confirmed, replayed, TRY_AGAIN", region, [
      business(BUSINESS_METRICS.confirmed, "confirmed"),
      business(BUSINESS_METRICS.replayed, "replayed (same key)"),
      business(BUSINESS_METRICS.tryAgain, "503 TRY_AGAIN"),
    ]),
    widget("Refusals by code (per minute)", region, [[{ expression: refusalsByCode, id: "refusals", label: "" }]]),
    widget("Shard hops (extra attempts per minute)", region, [business(BUSINESS_METRICS.shardHops, "shard hops")]),
    widget("Payments per minute: held, confirmed, declined, refunded late, holds expired", region, [
      business(BUSINESS_METRICS.held, "held (awaiting payment)"),
      business(BUSINESS_METRICS.paymentsConfirmed, "payments confirmed"),
      business(BUSINESS_METRICS.paymentsDeclined, "cards declined"),
      business(BUSINESS_METRICS.latePaymentsRefunded, "paid too late: refunded"),
      business(BUSINESS_METRICS.holdsExpired, "holds expired (units back)"),
    ]),
    widget("Payment problems per minute: payment page failures, webhooks rejected", region, [
      business(BUSINESS_METRICS.providerFailures, "payment page failures (TRY_AGAIN)"),
      business(BUSINESS_METRICS.webhooksRejected, "webhooks rejected (signature)"),
    ]),
    widget("Hold sweep per minute: runs (1 expected), errors, holds returned", region, [
      sweep("Invocations", "runs"),
      sweep("Errors", "errors"),
      business(BUSINESS_METRICS.holdsExpired, "holds returned"),
    ]),
    // From the table stream's consumer (at least once: a replayed record counts again; reconcile is the ledger).
    widget("Orders per minute (from the table's stream): confirmed, expired, refunded", region, [
      business(ORDER_METRICS.confirmed, "confirmed"),
      business(ORDER_METRICS.expired, "expired (hold ran out)"),
      business(ORDER_METRICS.refunded, "refunded"),
    ]),
    widget("Revenue per minute (confirmed orders, minor units such as cents, per currency)", region, [
      [{ expression: revenueByCurrency, id: "revenue", label: "" }],
    ]),
    ...(consumer
      ? [
          widget("Order events consumer: stream lag (ms, max) and failed batches set aside", region, [
            [
              "AWS/Lambda",
              "IteratorAge",
              "FunctionName",
              consumer.functionName,
              { label: "stream lag (ms)", stat: "Maximum" },
            ],
            [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              consumer.failureQueueName,
              { label: "failed batches queued", stat: "Maximum", yAxis: "right" },
            ],
          ]),
        ]
      : []),
    widget("Real failures: 500/502/504, authorizer refusals and engine faults (per minute)", region, [
      [namespace, ACCESS_LOG_METRICS.serverErrors.metricName, { label: "500/502/504", stat: "Sum" }],
      [namespace, ACCESS_LOG_METRICS.authorizerFailures.metricName, { label: "401/403 (authorizer)", stat: "Sum" }],
      business(BUSINESS_METRICS.engineFaults, "503 engine faults (database failing or slow)"),
    ]),
    widget(`${inputs.purchaseRoute.method} ${inputs.purchaseRoute.path} latency (ms)`, region, [
      [
        "AWS/ApiGateway",
        "Latency",
        "ApiId",
        apiId,
        "Method",
        inputs.purchaseRoute.method,
        "Resource",
        inputs.purchaseRoute.path,
        "Stage",
        stage,
        { stat: "p50" },
      ],
      [
        "AWS/ApiGateway",
        "Latency",
        "ApiId",
        apiId,
        "Method",
        inputs.purchaseRoute.method,
        "Resource",
        inputs.purchaseRoute.path,
        "Stage",
        stage,
        { stat: "p99" },
      ],
    ]),
    widget("API requests, 4xx, 5xx (per minute)", region, [api("Count"), api("4xx"), api("5xx")], "Sum"),
    widget("API latency (ms)", region, [
      api("Latency", { stat: "p50" }),
      api("Latency", { stat: "p99" }),
      api("IntegrationLatency", { stat: "p99" }),
    ]),
    widget("Lambda duration p99 (ms)", region, perFunction("Duration", "p99")),
    widget("Lambda errors", region, perFunction("Errors", "Sum")),
    widget("Lambda throttles", region, perFunction("Throttles", "Sum")),
    widget("Lambda concurrent executions", region, perFunction("ConcurrentExecutions", "Maximum")),
    widget("DynamoDB consumed capacity (units per minute)", region, [
      table("ConsumedWriteCapacityUnits"),
      table("ConsumedReadCapacityUnits"),
    ]),
    widget("DynamoDB throttling", region, [
      table("WriteThrottleEvents"),
      table("ReadThrottleEvents"),
      ["AWS/DynamoDB", "ThrottledRequests", "TableName", tableName, "Operation", "TransactWriteItems", { stat: "Sum" }],
      ["AWS/DynamoDB", "TransactionConflict", "TableName", tableName, { stat: "Sum" }],
    ]),
  ];
  return JSON.stringify({ widgets });
}
