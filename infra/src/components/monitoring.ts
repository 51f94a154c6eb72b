/**
 * What an operator watches during a sale: one dashboard, alarms whose every firing means shoppers are hurt, and
 * one composite "sale in trouble" alarm that notifies the SNS topic (mailed when `alarmEmail` is set).
 *
 * Inputs: the Lambda functions' own metrics, the API's (per-route latency of the purchase route), DynamoDB's,
 * two counts taken from the API access log (500/502/504 and authorizer refusals, never the deliberate 503), and
 * the handlers' business metrics (EMF, services/src/http/metrics.ts), payments', the hold sweep's and the order
 * events consumer's included.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUSINESS_METRICS } from "@flash-sale/services/contract";
import { ACCESS_LOG_METRICS, statusFilterPattern } from "../monitoring/access-log-metrics";
import { dashboardBody } from "../monitoring/dashboard";

export interface MonitoringArgs {
  region: pulumi.Input<string>;
  apiId: pulumi.Input<string>;
  stageName: string;
  /** The stage's JSON access log group. */
  accessLogGroupName: pulumi.Input<string>;
  functions: { handler: string; functionName: pulumi.Input<string> }[];
  /** The function whose throttling means shoppers are turned away at checkout. */
  purchaseFunctionName: pulumi.Input<string>;
  /** The hold expiry sweep (also among `functions`): its runs are watched and shown on their own. */
  holdSweepFunctionName: pulumi.Input<string>;
  /** `POST /purchases`: the route whose p99 latency is watched (detailed metrics are on for it). */
  purchaseRoute: { method: string; path: string };
  tableName: pulumi.Input<string>;
  /** Namespace of the business metrics and the access-log metrics (`flash-sale-<stack>`). */
  metricsNamespace: string;
  /** Percent of API requests answered 500/502/504, per minute, that raises the server-errors alarm. */
  api5xxRatePercent: number;
  /** p99 latency of the purchase route (ms) that raises the latency alarm. */
  purchaseP99Ms: number;
  alarmEmail: string | undefined;
  /** The table stream's consumer (also among `functions`) and its failure queue, when deployed. */
  orderEvents?: { functionName: pulumi.Input<string>; failureQueueName: pulumi.Input<string> };
}

/** Percent of purchases answered TRY_AGAIN (per minute, 3 of 5 minutes) that means the shards cannot keep up. */
export const TRY_AGAIN_RATE_PERCENT = 10;
/** Percent of API requests the authorizer refuses (3 of 5 minutes) that means sign-in or tokens are broken. */
export const AUTHORIZER_FAILURE_RATE_PERCENT = 25;
/**
 * Percent of API requests answered 503 because the engine faulted (5xx, resets, unreachable) or missed the
 * deadline (EngineFaults, 2 of 3 minutes): a database failing fast, which the server-errors alarm (no 503) misses.
 */
export const ENGINE_FAULT_RATE_PERCENT = 5;
/** Minutes in a row without a run of the every-minute hold sweep that raise `hold-sweep-not-running`. */
export const HOLD_SWEEP_SILENT_MINUTES = 5;

/** Payment alarms: any count of the metric in 5 minutes fires. [key, metric, label, description] */
const PAYMENT_ALARMS = [
  [
    "payment-webhooks-rejected",
    BUSINESS_METRICS.webhooksRejected,
    "webhooks rejected",
    "Payment webhooks failed their signature check in the last 5 minutes: check stripeWebhookSecret against the endpoint's signing secret in Stripe's dashboard",
  ],
  [
    "payment-provider-failures",
    BUSINESS_METRICS.providerFailures,
    "provider failures",
    "The payment provider failed to make payment pages in the last 5 minutes: shoppers hold units they cannot pay for (Stripe's status page, the secret key)",
  ],
] as const;

type MetricQuery = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

export class Monitoring extends pulumi.ComponentResource {
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
  readonly saleInTrouble: aws.cloudwatch.CompositeAlarm;
  readonly topic: aws.sns.Topic;
  readonly dashboardName: pulumi.Output<string>;
  /** The dashboard in the CloudWatch console. */
  readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:monitoring:Monitoring", name, {}, opts);
    const ns = args.metricsNamespace;

    for (const [key, metric] of Object.entries(ACCESS_LOG_METRICS)) {
      new aws.cloudwatch.LogMetricFilter(
        `${name}-${key}`,
        {
          logGroupName: args.accessLogGroupName,
          pattern: statusFilterPattern(metric.statuses, "where" in metric ? metric.where : undefined),
          metricTransformation: { namespace: ns, name: metric.metricName, value: "1", unit: "Count" },
        },
        { parent: this },
      );
    }

    const functions = pulumi.all(
      args.functions.map(({ handler, functionName }) => pulumi.all([handler, functionName])),
    );
    const orderEvents = args.orderEvents
      ? pulumi.all([args.orderEvents.functionName, args.orderEvents.failureQueueName])
      : pulumi.output(undefined);
    const body = pulumi
      .all([args.region, args.apiId, args.tableName, functions, args.holdSweepFunctionName, orderEvents])
      .apply(([region, apiId, tableName, fns, holdSweepFunctionName, consumer]) =>
        dashboardBody({
          region,
          apiId,
          stage: args.stageName,
          tableName,
          namespace: ns,
          purchaseRoute: args.purchaseRoute,
          functions: fns.map(([handler, functionName]) => ({ handler, functionName })),
          holdSweepFunctionName,
          ...(consumer ? { orderEvents: { functionName: consumer[0], failureQueueName: consumer[1] } } : {}),
        }),
      );
    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: name, dashboardBody: body },
      { parent: this },
    );
    this.dashboardName = this.dashboard.dashboardName;
    this.dashboardUrl = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${this.dashboardName}`;

    // The topic always exists (an output ops can subscribe anything to); email only when configured.
    this.topic = new aws.sns.Topic(`${name}-alarms`, {}, { parent: this });
    if (args.alarmEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-alarm-email`,
        { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail },
        { parent: this },
      );
    }

    // The member alarms notify nobody by themselves: the composite below is the one page, so one incident
    // (say, throttled shards) does not send five emails. Each still shows its state in the console.
    const alarm = (
      key: string,
      description: string,
      // Missing data is "no failure" unless the spec says otherwise (a metric that must keep coming).
      spec: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmDescription">,
    ) => {
      const created = new aws.cloudwatch.MetricAlarm(
        `${name}-${key}`,
        { alarmDescription: description, treatMissingData: "notBreaching", ...spec },
        { parent: this },
      );
      this.alarms.push(created);
      return created;
    };
    const metric = (
      id: string,
      namespace: string,
      metricName: string,
      dimensions: Record<string, pulumi.Input<string>>,
      stat = "Sum",
    ): MetricQuery => ({
      id,
      metric: { namespace, metricName, dimensions, period: 60, stat },
    });
    const apiDimensions = { ApiId: args.apiId, Stage: args.stageName };
    const service = { [BUSINESS_METRICS.serviceDimension]: BUSINESS_METRICS.service };
    const accessLog = (id: string, metricName: string): MetricQuery => ({
      id,
      metric: { namespace: ns, metricName, period: 60, stat: "Sum" },
    });

    alarm("lambda-errors", "A Lambda function failed (uncaught error, timeout or out of memory) in 2 of 3 minutes", {
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      metricQueries: [
        {
          id: "errors",
          expression: `SUM([${args.functions.map((_, i) => `e${i}`).join(", ")}])`,
          label: "Lambda errors",
          returnData: true,
        },
        ...args.functions.map(({ functionName }, i) =>
          metric(`e${i}`, "AWS/Lambda", "Errors", { FunctionName: functionName }),
        ),
      ],
    });
    alarm(
      "api-server-errors",
      `More than ${args.api5xxRatePercent}% of API requests answered 500, 502 or 504 in 2 of 3 minutes (the deliberate 503 TRY_AGAIN is not counted)`,
      {
        comparisonOperator: "GreaterThanThreshold",
        threshold: args.api5xxRatePercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        metricQueries: [
          {
            id: "rate",
            expression: "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)",
            label: "500/502/504 %",
            returnData: true,
          },
          accessLog("errors", ACCESS_LOG_METRICS.serverErrors.metricName),
          metric("requests", "AWS/ApiGateway", "Count", apiDimensions),
        ],
      },
    );
    alarm(
      "engine-faults",
      `More than ${ENGINE_FAULT_RATE_PERCENT}% of API requests answered 503 TRY_AGAIN because the database failed or did not answer in time, in 2 of 3 minutes: check the table (throttling, errors) and the function logs ("engine fault")`,
      {
        comparisonOperator: "GreaterThanThreshold",
        threshold: ENGINE_FAULT_RATE_PERCENT,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        metricQueries: [
          {
            id: "rate",
            expression: "IF(requests > 0, 100 * FILL(faults, 0) / requests, 0)",
            label: "engine faults %",
            returnData: true,
          },
          metric("faults", ns, BUSINESS_METRICS.engineFaults, service),
          metric("requests", "AWS/ApiGateway", "Count", apiDimensions),
        ],
      },
    );
    alarm(
      "purchase-latency-p99",
      `p99 latency of ${args.purchaseRoute.method} ${args.purchaseRoute.path} above ${args.purchaseP99Ms} ms in 3 of 5 minutes`,
      {
        comparisonOperator: "GreaterThanThreshold",
        threshold: args.purchaseP99Ms,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        namespace: "AWS/ApiGateway",
        metricName: "Latency",
        dimensions: { ...apiDimensions, Method: args.purchaseRoute.method, Resource: args.purchaseRoute.path },
        extendedStatistic: "p99",
        period: 60,
      },
    );
    alarm(
      "authorizer-failures",
      `More than ${AUTHORIZER_FAILURE_RATE_PERCENT}% of API requests refused by the JWT authorizer (401/403) in 3 of 5 minutes: sign-in or tokens are broken`,
      {
        comparisonOperator: "GreaterThanThreshold",
        threshold: AUTHORIZER_FAILURE_RATE_PERCENT,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        metricQueries: [
          {
            id: "rate",
            expression: "IF(requests > 0, 100 * FILL(refused, 0) / requests, 0)",
            label: "authorizer refusals %",
            returnData: true,
          },
          accessLog("refused", ACCESS_LOG_METRICS.authorizerFailures.metricName),
          metric("requests", "AWS/ApiGateway", "Count", apiDimensions),
        ],
      },
    );
    alarm(
      "purchase-try-again",
      `More than ${TRY_AGAIN_RATE_PERCENT}% of purchases answered 503 TRY_AGAIN in 3 of 5 minutes: shards are too hot (npm run stock -- reshard) or the table is throttled`,
      {
        comparisonOperator: "GreaterThanThreshold",
        threshold: TRY_AGAIN_RATE_PERCENT,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        metricQueries: [
          {
            id: "rate",
            expression:
              "IF(FILL(tryAgain, 0) + FILL(confirmed, 0) > 0, 100 * FILL(tryAgain, 0) / (FILL(tryAgain, 0) + FILL(confirmed, 0)), 0)",
            label: "TRY_AGAIN %",
            returnData: true,
          },
          metric("tryAgain", ns, BUSINESS_METRICS.tryAgain, service),
          metric("confirmed", ns, BUSINESS_METRICS.confirmed, service),
        ],
      },
    );
    // Payments: a webhook that does not verify means a wrong signing secret (every payment is then lost to
    // the sweep) or someone forging events; a provider that fails leaves shoppers holding units they cannot pay.
    for (const [key, metricName, label, description] of PAYMENT_ALARMS) {
      alarm(key, description, {
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 5,
        datapointsToAlarm: 1,
        metricQueries: [
          { id: "count", expression: "FILL(m, 0)", label, returnData: true },
          metric("m", ns, metricName, service),
        ],
      });
    }
    // The sweep's errors raise lambda-errors (it is among `functions`). A sweep that never runs raises nothing
    // there: a disabled or deleted schedule, or a function that cannot be invoked. Held units then never come
    // back, so a minute with no run counts as breaching (Lambda publishes no Invocations when nothing ran).
    alarm(
      "hold-sweep-not-running",
      `The hold expiry sweep was not invoked for ${HOLD_SWEEP_SILENT_MINUTES} minutes: held units are not coming back to stock. Check its EventBridge rule is enabled and targets the function`,
      {
        namespace: "AWS/Lambda",
        metricName: "Invocations",
        dimensions: { FunctionName: args.holdSweepFunctionName },
        statistic: "Sum",
        period: 60,
        evaluationPeriods: HOLD_SWEEP_SILENT_MINUTES,
        datapointsToAlarm: HOLD_SWEEP_SILENT_MINUTES,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
      },
    );
    // A batch of the table's stream that failed every retry (or grew too old) is set aside in the failure queue:
    // its mails were not sent and its metrics not counted. Any message there is worth a look.
    if (args.orderEvents) {
      alarm(
        "order-events-failed",
        "Order events from the table's stream failed every retry and were set aside in the failure queue: those shoppers got no mail. See infra/README.md (Order events) to replay them",
        {
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: args.orderEvents.failureQueueName },
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
        },
      );
    }
    alarm(
      "purchase-throttles",
      "The purchase function is throttled (reserved concurrency or the account limit reached)",
      {
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: args.purchaseFunctionName },
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
      },
    );
    // Brief shard throttles are absorbed by retrying another shard; throttling that lasts means too few shards.
    const sustainedThrottling = {
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      namespace: "AWS/DynamoDB",
    };
    alarm(
      "table-write-throttles",
      "DynamoDB write throttle events in 3 of 5 minutes: reshard hot products (npm run stock -- reshard)",
      {
        ...sustainedThrottling,
        metricName: "WriteThrottleEvents",
        dimensions: { TableName: args.tableName },
      },
    );
    alarm(
      "purchase-transactions-throttled",
      "DynamoDB throttled purchase transactions (TransactWriteItems) in 3 of 5 minutes",
      {
        ...sustainedThrottling,
        metricName: "ThrottledRequests",
        dimensions: { TableName: args.tableName, Operation: "TransactWriteItems" },
      },
    );

    this.saleInTrouble = new aws.cloudwatch.CompositeAlarm(
      `${name}-sale-in-trouble`,
      {
        alarmName: `${name}-sale-in-trouble`,
        alarmDescription: "The sale is in trouble: at least one of the platform's alarms is firing (see the dashboard)",
        alarmRule: pulumi
          .all(this.alarms.map((member) => member.name))
          .apply((names) => names.map((alarmName) => `ALARM("${alarmName}")`).join(" OR ")),
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
      },
      { parent: this },
    );
    this.registerOutputs({
      dashboardName: this.dashboardName,
      dashboardUrl: this.dashboardUrl,
      alarmTopicArn: this.topic.arn,
    });
  }
}
