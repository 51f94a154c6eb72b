/**
 * The table stream's consumer in the Pulumi program, under mocks: the stream on the table, the function built like
 * the others with its own budget, the event source mapping (partial batch responses, bisect, bounded retries, the
 * failure queue), the queue and its alarm inside the composite, the order widgets, exact IAM (and nobody else
 * with its grants), and nothing of it without `mailFrom`.
 */
import { gzipSync } from "node:zlib";
import { ORDER_METRICS } from "@flash-sale/services/contract";
import { ORDER_EVENTS } from "@flash-sale/services/routes";
import { ORDER_EVENTS_BUNDLE_BUDGET_BYTES } from "../src/bundle";
import type { Registered } from "./support/mocks";
import { expectBuiltLikeTheRouteFunctions, isSecretInput, parsePolicy, runProgram, type Run } from "./support/program";

const SENDER = "Flash Sale <orders@shop.example.com>";

let run: Run<Record<string, unknown>>;
let without: Run<Record<string, unknown>>;
beforeAll(async () => {
  run = await runProgram({
    "flash-sale:mailFrom": SENDER,
    "flash-sale:stripeSecretKey": "sk_test_51Example0000000000000000",
    "flash-sale:stripeWebhookSecret": "whsec_Example0000000000000000000000",
  });
  without = await runProgram();
});

const named = (type: string, suffix: string, from = run): Registered => {
  const found = from.ofType(type).find((resource) => resource.name.endsWith(suffix));
  if (!found) throw new Error(`no ${type} named *${suffix}`);
  return found;
};
const table = () => run.one("aws:dynamodb/table:Table");
const consumer = () => named("aws:lambda/function:Function", "-order-events-fn");
const queue = () => run.one("aws:sqs/queue:Queue");
const mapping = () => run.one("aws:lambda/eventSourceMapping:EventSourceMapping");
const alarms = (from: Run<Record<string, unknown>>) =>
  Object.fromEntries(
    from
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .map((alarm) => [alarm.name.replace(/^flash-sale-dev-monitoring-/, ""), alarm.inputs]),
  );

describe("the table's stream", () => {
  test("is on, with new and old images (an event is an order entering a status), and TTL purges the consumers' marks, whether or not a consumer is deployed", () => {
    for (const stack of [run, without]) {
      expect(stack.one("aws:dynamodb/table:Table").inputs).toMatchObject({
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        // The consumers' dedupe marks expire (services/src/store/purge.ts) rather than pile up.
        ttl: { attributeName: "purgeAt", enabled: true },
      });
    }
  });
});

describe("without mailFrom", () => {
  test("no consumer: no function, mapping, queue, sender identity or alarm, and its outputs are absent", () => {
    for (const type of [
      "aws:lambda/eventSourceMapping:EventSourceMapping",
      "aws:sqs/queue:Queue",
      "aws:sesv2/emailIdentity:EmailIdentity",
    ])
      expect({ type, count: without.ofType(type).length }).toEqual({ type, count: 0 });
    expect(without.ofType("aws:lambda/function:Function").filter((fn) => fn.name.includes("order-events"))).toEqual([]);
    expect(alarms(without)["order-events-failed"]).toBeUndefined();
    expect(without.exports["orderEventsFailureQueueUrl"]).toBeUndefined();
    expect(without.exports["orderEventsFunctionName"]).toBeUndefined();
    expect(without.exports["mailFromIdentity"]).toBeUndefined();
  });
});

describe("the consumer function", () => {
  test("bundled from services' order-events entry like the other functions (runtime, arm64, memory, log retention), a 60 s timeout, within its own budget", async () => {
    const { code, sources } = await expectBuiltLikeTheRouteFunctions(run, "order-events", {
      description: "The table stream's consumer: order mails and metrics (services/src/functions/order-events.ts)",
      timeout: 60,
    });
    const bytes = Buffer.byteLength(code);
    process.stdout.write(
      `bundle order-events: ${(bytes / 1000).toFixed(1)} kB (${(gzipSync(code).length / 1000).toFixed(1)} kB gzip), budget ${ORDER_EVENTS_BUNDLE_BUDGET_BYTES / 1000} kB\n`,
    );
    expect(bytes).toBeLessThanOrEqual(ORDER_EVENTS_BUNDLE_BUDGET_BYTES);
    // Over the route functions' 300 kB (the SES and Cognito clients), and without the Stripe SDK.
    expect(bytes).toBeGreaterThan(300_000);
    expect(code.includes("api.stripe.com")).toBe(false);
    for (const source of ["services/src/functions/order-events.ts", "services/src/events/order-metrics.ts"])
      expect({ source, bundled: sources.some((s) => s.endsWith(source)) }).toEqual({ source, bundled: true });
  });

  test("its environment: the sender as configured, the user pool, the table and the metrics namespace; no secret though the stack has the payment ones", () => {
    expect(isSecretInput(consumer().inputs.environment)).toBe(false);
    expect(consumer().inputs.environment.variables).toEqual({
      TABLE_NAME: table().state.name,
      NODE_OPTIONS: "--enable-source-maps",
      POWERTOOLS_METRICS_NAMESPACE: "flash-sale-dev",
      POWERTOOLS_SERVICE_NAME: "flash-sale",
      MAIL_FROM: SENDER,
      USER_POOL_ID: run.exports["userPoolId"],
    });
  });

  test("the sender's address is an SES email identity, and an output", () => {
    const identity = run.one("aws:sesv2/emailIdentity:EmailIdentity");
    expect(identity.inputs.emailIdentity).toBe("orders@shop.example.com");
    expect(run.exports["mailFromIdentity"]).toBe("orders@shop.example.com");
    expect(run.exports["orderEventsFunctionName"]).toBe(consumer().state.name);
  });
});

describe("the user pool mails through SES from the same sender", () => {
  test("sign-up codes and resets go through SES (DEVELOPER) as the configured sender, from its verified identity", () => {
    const pool = run.one("aws:cognito/userPool:UserPool");
    const identity = run.one("aws:sesv2/emailIdentity:EmailIdentity");

    expect(pool.inputs.emailConfiguration).toEqual({
      emailSendingAccount: "DEVELOPER",
      fromEmailAddress: SENDER,
      sourceArn: identity.state.arn,
    });
    expect(identity.state.arn).toBe("arn:aws:ses:eu-west-1:123456789012:identity/orders@shop.example.com");
  });

  test("on dev without mailFrom the pool keeps Cognito's own sender (refused on other stacks: config.test.ts)", () => {
    expect(without.one("aws:cognito/userPool:UserPool").inputs.emailConfiguration).toBeUndefined();
  });
});

describe("the event source mapping", () => {
  test("reads this table's stream into the consumer from the latest record, with batches sized for a sale", () => {
    expect(mapping().inputs).toMatchObject({
      eventSourceArn: table().state.streamArn,
      functionName: consumer().state.arn,
      startingPosition: "LATEST",
      batchSize: 100,
      parallelizationFactor: 10,
    });
    expect(table().state.streamArn).toMatch(/:table\/[^/]+\/stream\//);
    // Every record reaches the handler (it skips non-orders; a filtered record would be gone for good).
    expect(mapping().inputs.filterCriteria).toBeUndefined();
  });

  test("partial batch responses, bisect on error, bounded retries and age, then the failure queue", () => {
    const inputs = mapping().inputs;
    expect(inputs.functionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    expect(inputs.bisectBatchOnFunctionError).toBe(true);
    expect(inputs.destinationConfig).toEqual({ onFailure: { destinationArn: queue().state.arn } });
    // -1 (AWS's default) retries until the record leaves the stream, blocking its shard for up to 24 hours.
    expect(inputs.maximumRetryAttempts).toBe(10);
    expect(inputs.maximumRecordAgeInSeconds).toBe(3600);
  });

  test("is created after the role may read the stream (the function waits for its policy)", () => {
    const policy = named("aws:iam/rolePolicy:RolePolicy", "-order-events-policy");
    expect(run.optionsOf(consumer()).dependsOn).toContain(`${policy.type}::${policy.name}`);
    expect(run.optionsOf(mapping()).dependsOn).toContain(`${consumer().type}::${consumer().name}`);
  });
});

describe("the failure queue and its alarm", () => {
  test("the queue keeps a failed batch 14 days, encrypted, and its URL is an output", () => {
    expect(queue().inputs).toMatchObject({ messageRetentionSeconds: 1_209_600, sqsManagedSseEnabled: true });
    expect(run.exports["orderEventsFailureQueueUrl"]).toBe(queue().state.url);
  });

  test("an alarm fires on the first message in the queue, inside the composite 'sale in trouble'", () => {
    const alarm = alarms(run)["order-events-failed"];
    expect(alarm).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue().state.name },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
    });
    const member = named("aws:cloudwatch/metricAlarm:MetricAlarm", "-order-events-failed");
    const composite = run.one("aws:cloudwatch/compositeAlarm:CompositeAlarm").inputs;
    expect(String(composite.alarmRule).split(" OR ")).toContain(`ALARM("${member.state.name}")`);
    expect(member.inputs.alarmActions ?? []).toEqual([]);
    expect(run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")).toHaveLength(13);
  });

  test("the consumer's errors raise lambda-errors like every other function's", () => {
    expect(JSON.stringify(alarms(run)["lambda-errors"])).toContain(`"${consumer().state.name}"`);
  });
});

describe("exact IAM", () => {
  test("its role may do exactly ORDER_EVENTS' DynamoDB actions on this table, read this stream, send as the sender, look shoppers up in this pool and queue failed batches; nothing else", () => {
    const policy = named("aws:iam/rolePolicy:RolePolicy", "-order-events-policy");
    const logs = named("aws:cloudwatch/logGroup:LogGroup", "-order-events-logs");
    const identity = run.one("aws:sesv2/emailIdentity:EmailIdentity");
    expect(policy.inputs.role).toBe(named("aws:iam/role:Role", "-order-events-role").state.name);
    expect(parsePolicy(policy.inputs.policy).Statement).toEqual([
      {
        Sid: "Table",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        Resource: [table().state.arn],
      },
      {
        Sid: "OwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logs.state.arn}:log-stream:*`,
      },
      {
        Sid: "Stream",
        Effect: "Allow",
        Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
        Resource: table().state.streamArn,
      },
      {
        Sid: "SendMail",
        Effect: "Allow",
        Action: "ses:SendEmail",
        Resource: [
          "arn:aws:ses:eu-west-1:123456789012:identity/orders@shop.example.com",
          "arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com",
        ],
      },
      {
        Sid: "FindShopper",
        Effect: "Allow",
        Action: "cognito-idp:ListUsers",
        Resource: run.one("aws:cognito/userPool:UserPool").state.arn,
      },
      { Sid: "FailedBatches", Effect: "Allow", Action: "sqs:SendMessage", Resource: queue().state.arn },
    ]);
    expect(identity.state.arn).toBe("arn:aws:ses:eu-west-1:123456789012:identity/orders@shop.example.com");
    expect([...ORDER_EVENTS.dynamodbActions]).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
    ]);
  });

  test("no other role may send mail, list the pool's users, read the stream or write the queue", () => {
    const consumerActions =
      /^(ses:|cognito-idp:|sqs:|dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$)/;
    const policies = [
      ...run.ofType("aws:iam/rolePolicy:RolePolicy").map((p) => ({ owner: p.name, text: p.inputs.policy })),
      ...run.ofType("aws:iam/policy:Policy").map((p) => ({ owner: p.name, text: p.inputs.policy })),
    ];
    const granted = policies.flatMap(({ owner, text }) =>
      parsePolicy(text).Statement.flatMap((statement) =>
        [statement.Action]
          .flat()
          .filter((action: string) => consumerActions.test(action))
          .map((action: string) => `${owner} ${action}`),
      ),
    );
    const owner = named("aws:iam/rolePolicy:RolePolicy", "-order-events-policy").name;
    expect(granted.filter((grant) => !grant.startsWith(`${owner} `))).toEqual([]);
    expect(granted).toHaveLength(7);
  });
});

describe("the dashboard", () => {
  const body = (from: Run<Record<string, unknown>>) =>
    JSON.parse(from.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody) as {
      widgets: { properties: { title: string; metrics: any[][]; period: number } }[];
    };
  const widget = (from: Run<Record<string, unknown>>, title: string) =>
    body(from).widgets.find((w) => w.properties.title.startsWith(title));

  test("confirmed, expired and refunded orders per minute from the consumer's metrics", () => {
    const orders = widget(run, "Orders per minute (from the table's stream)")!;
    expect(orders.properties.period).toBe(60);
    expect(orders.properties.metrics.map((m) => `${m.slice(0, 4).join(" ")} ${m.at(-1).stat}`)).toEqual(
      [ORDER_METRICS.confirmed, ORDER_METRICS.expired, ORDER_METRICS.refunded].map(
        (metric) => `flash-sale-dev ${metric} service flash-sale Sum`,
      ),
    );
  });

  test("revenue per minute, one series per currency", () => {
    const revenue = widget(run, "Revenue per minute")!;
    expect(revenue.properties.metrics).toEqual([
      [
        {
          expression: `SEARCH('{flash-sale-dev,currency,service} MetricName="${ORDER_METRICS.revenue}"', 'Sum', 60)`,
          id: "revenue",
          label: "",
        },
      ],
    ]);
  });

  test("the consumer's stream lag and failure queue, only when it is deployed", () => {
    const health = widget(run, "Order events consumer")!;
    expect(health.properties.metrics.map((m) => m.slice(0, 4).join(" "))).toEqual([
      `AWS/Lambda IteratorAge FunctionName ${consumer().state.name}`,
      `AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${queue().state.name}`,
    ]);
    expect(widget(without, "Order events consumer")).toBeUndefined();
    // The order series are shown either way (empty until a consumer runs).
    expect(widget(without, "Orders per minute")).toBeDefined();
  });
});
