/** The CloudWatch dashboard body: API traffic, each function's health, and the table's capacity and throttling. */
export interface DashboardInputs {
  region: string;
  apiId: string;
  stage: string;
  functions: { handler: string; functionName: string }[];
  tableName: string;
}

type Metric = (string | Record<string, unknown>)[];

interface Widget {
  type: "metric";
  width: number;
  height: number;
  properties: { title: string; region: string; metrics: Metric[]; stat?: string; period: number; view: "timeSeries"; stacked: false };
}

function widget(title: string, region: string, metrics: Metric[], stat?: string): Widget {
  return { type: "metric", width: 12, height: 6, properties: { title, region, metrics, ...(stat ? { stat } : {}), period: 60, view: "timeSeries", stacked: false } };
}

export function dashboardBody(inputs: DashboardInputs): string {
  const { region, apiId, stage, tableName } = inputs;
  const api = (metric: string, options: Record<string, unknown> = {}): Metric => ["AWS/ApiGateway", metric, "ApiId", apiId, "Stage", stage, options];
  const perFunction = (metric: string, stat: string): Metric[] =>
    inputs.functions.map(({ handler, functionName }) => ["AWS/Lambda", metric, "FunctionName", functionName, { label: handler, stat }]);
  const table = (metric: string, stat = "Sum"): Metric => ["AWS/DynamoDB", metric, "TableName", tableName, { stat }];

  const widgets: Widget[] = [
    widget("API requests, 4xx, 5xx (per minute)", region, [api("Count"), api("4xx"), api("5xx")], "Sum"),
    widget("API latency (ms)", region, [api("Latency", { stat: "p50" }), api("Latency", { stat: "p99" }), api("IntegrationLatency", { stat: "p99" })]),
    widget("Lambda duration p99 (ms)", region, perFunction("Duration", "p99")),
    widget("Lambda errors", region, perFunction("Errors", "Sum")),
    widget("Lambda throttles", region, perFunction("Throttles", "Sum")),
    widget("Lambda concurrent executions", region, perFunction("ConcurrentExecutions", "Maximum")),
    widget("DynamoDB consumed capacity (units per minute)", region, [table("ConsumedWriteCapacityUnits"), table("ConsumedReadCapacityUnits")]),
    widget("DynamoDB throttling", region, [
      table("WriteThrottleEvents"),
      table("ReadThrottleEvents"),
      ["AWS/DynamoDB", "ThrottledRequests", "TableName", tableName, "Operation", "TransactWriteItems", { stat: "Sum" }],
      ["AWS/DynamoDB", "TransactionConflict", "TableName", tableName, { stat: "Sum" }],
    ]),
  ];
  return JSON.stringify({ widgets });
}
