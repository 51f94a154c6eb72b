/**
 * What an operator watches during a sale: one dashboard, and alarms on the API's 5xx rate, purchase throttling
 * and DynamoDB throttling (optionally mailed through an SNS topic).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dashboardBody } from "../monitoring/dashboard";

export interface MonitoringArgs {
  region: pulumi.Input<string>;
  apiId: pulumi.Input<string>;
  stageName: string;
  functions: { handler: string; functionName: pulumi.Input<string> }[];
  /** The function whose throttling means shoppers are turned away at checkout. */
  purchaseFunctionName: pulumi.Input<string>;
  tableName: pulumi.Input<string>;
  /** Percent of API requests answered 5xx, per minute, that raises the alarm. */
  api5xxRatePercent: number;
  alarmEmail: string | undefined;
}

export class Monitoring extends pulumi.ComponentResource {
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:monitoring:Monitoring", name, {}, opts);

    const functions = pulumi.all(args.functions.map(({ handler, functionName }) => pulumi.all([handler, functionName])));
    const body = pulumi
      .all([args.region, args.apiId, args.tableName, functions])
      .apply(([region, apiId, tableName, fns]) =>
        dashboardBody({ region, apiId, stage: args.stageName, tableName, functions: fns.map(([handler, functionName]) => ({ handler, functionName })) }),
      );
    this.dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, { dashboardName: name, dashboardBody: body }, { parent: this });
    this.dashboardName = this.dashboard.dashboardName;

    let actions: pulumi.Output<string>[] = [];
    if (args.alarmEmail !== undefined) {
      const topic = new aws.sns.Topic(`${name}-alarms`, {}, { parent: this });
      new aws.sns.TopicSubscription(`${name}-alarm-email`, { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail }, { parent: this });
      actions = [topic.arn];
    }
    const common = { alarmActions: actions, okActions: actions, treatMissingData: "notBreaching" };
    const sustainedThrottling = (alarmName: string, description: string, metricName: string, dimensions: Record<string, pulumi.Input<string>>) =>
      new aws.cloudwatch.MetricAlarm(
        alarmName,
        {
          ...common,
          alarmDescription: description,
          namespace: "AWS/DynamoDB",
          metricName,
          dimensions,
          statistic: "Sum",
          period: 60,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
        },
        { parent: this },
      );

    this.alarms.push(
      new aws.cloudwatch.MetricAlarm(
        `${name}-api-5xx-rate`,
        {
          ...common,
          alarmDescription: `More than ${args.api5xxRatePercent}% of API requests answered 5xx in 2 of 3 minutes`,
          comparisonOperator: "GreaterThanThreshold",
          threshold: args.api5xxRatePercent,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          metricQueries: [
            { id: "rate", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: "5xx %", returnData: true },
            { id: "errors", metric: { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: { ApiId: args.apiId, Stage: args.stageName }, period: 60, stat: "Sum" } },
            { id: "requests", metric: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiId: args.apiId, Stage: args.stageName }, period: 60, stat: "Sum" } },
          ],
        },
        { parent: this },
      ),
      new aws.cloudwatch.MetricAlarm(
        `${name}-purchase-throttles`,
        {
          ...common,
          alarmDescription: "The purchase function is throttled (reserved concurrency or the account limit reached)",
          namespace: "AWS/Lambda",
          metricName: "Throttles",
          dimensions: { FunctionName: args.purchaseFunctionName },
          statistic: "Sum",
          period: 60,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
        },
        { parent: this },
      ),
      // Brief shard throttles are absorbed by retrying another shard; throttling that lasts means too few shards.
      sustainedThrottling(`${name}-table-write-throttles`, "DynamoDB write throttle events in 3 of 5 minutes: reshard hot products (npm run stock -- reshard)", "WriteThrottleEvents", {
        TableName: args.tableName,
      }),
      sustainedThrottling(`${name}-purchase-transactions-throttled`, "DynamoDB throttled purchase transactions (TransactWriteItems) in 3 of 5 minutes", "ThrottledRequests", {
        TableName: args.tableName,
        Operation: "TransactWriteItems",
      }),
    );
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
