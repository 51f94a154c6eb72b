/** The program follows its stack config: a production-like stack with every setting changed from its default. */
import { planCapacity } from "@flash-sale/services/contract";
import { routes } from "@flash-sale/services/routes";
import { REGION, type Registered } from "./support/mocks";
import { runProgram, type Run } from "./support/program";

let run: Run<Record<string, unknown>>;
beforeAll(async () => {
  run = await runProgram(
    {
      "flash-sale:expectedPeakPurchasesPerSecond": "5000",
      "flash-sale:tableWriteQuota": "60000",
      "flash-sale:lambdaRuntime": "nodejs24.x",
      "flash-sale:lambdaMemoryMb": "2048",
      "flash-sale:lambdaTimeoutSeconds": "20",
      "flash-sale:logRetentionDays": "30",
      "flash-sale:apiThrottleRateLimit": "8000",
      "flash-sale:apiThrottleBurstLimit": "4000",
      "flash-sale:purchaseReservedConcurrency": "100",
      "flash-sale:purchaseProvisionedConcurrency": "50",
      "flash-sale:alarm5xxRatePercent": "2.5",
      "flash-sale:alarmPurchaseP99Ms": "750",
      "flash-sale:alarmEmail": "ops@example.com",
      "flash-sale:loadGenerators": JSON.stringify({ count: 3, instanceType: "c7i.large" }),
      "flash-sale:mailFrom": "orders@example.com",
    },
    "prod",
  );
});

const named = (type: string, suffix: string): Registered => {
  const found = run.ofType(type).find((resource) => resource.name.endsWith(suffix));
  if (!found) throw new Error(`no ${type} named *${suffix}`);
  return found;
};

test("outside dev the table and the user pool are protected from deletion in AWS (engine options: data-safety.test.ts)", () => {
  expect(run.one("aws:dynamodb/table:Table").inputs.deletionProtectionEnabled).toBe(true);
  expect(run.one("aws:cognito/userPool:UserPool").inputs.deletionProtection).toBe("ACTIVE");
});

test("warm throughput follows the expected peak through services' capacity plan", () => {
  expect(run.one("aws:dynamodb/table:Table").inputs.warmThroughput).toEqual({
    writeUnitsPerSecond: 45_000,
    readUnitsPerSecond: planCapacity(5000).tableReadUnitsPerSecond,
  });
});

test("functions use the configured runtime, memory, timeout and log retention, still on arm64", () => {
  for (const fn of run.ofType("aws:lambda/function:Function")) {
    // The expiry sweep and the order events consumer keep their own timeouts (50 s, 60 s).
    const timeout = fn.name.includes("-hold-sweep-") ? 50 : fn.name.includes("-order-events-") ? 60 : 20;
    expect(fn.inputs).toMatchObject({ runtime: "nodejs24.x", architectures: ["arm64"], memorySize: 2048, timeout });
  }
  for (const logs of run.ofType("aws:cloudwatch/logGroup:LogGroup")) expect(logs.inputs.retentionInDays).toBe(30);
  for (const integration of run.ofType("aws:apigatewayv2/integration:Integration"))
    expect(integration.inputs.timeoutMilliseconds).toBe(21_000);
});

test("the stage throttles at the configured rate and burst", () => {
  expect(run.one("aws:apigatewayv2/stage:Stage").inputs.defaultRouteSettings).toEqual({
    throttlingRateLimit: 8000,
    throttlingBurstLimit: 4000,
  });
});

test("provisioned concurrency keeps a `live` alias of the purchase function warm, and the API invokes that alias", () => {
  const purchase = named("aws:lambda/function:Function", "-api-purchase-fn");
  expect(purchase.inputs).toMatchObject({ reservedConcurrentExecutions: 100, publish: true });
  const alias = run.one("aws:lambda/alias:Alias");
  expect(alias.inputs).toMatchObject({ name: "live", functionName: purchase.state.name, functionVersion: "1" });
  expect(run.one("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").inputs).toEqual(
    expect.objectContaining({
      functionName: purchase.state.name,
      qualifier: "live",
      provisionedConcurrentExecutions: 50,
    }),
  );
  expect(named("aws:apigatewayv2/integration:Integration", "-api-purchase-integration").inputs.integrationUri).toBe(
    alias.state.invokeArn,
  );
  expect(named("aws:lambda/permission:Permission", "-api-purchase-invoke").inputs.qualifier).toBe("live");
});

test("the other functions stay unpublished and are invoked directly", () => {
  for (const route of routes.filter((r) => r.handler !== "purchase")) {
    const fn = named("aws:lambda/function:Function", `-api-${route.handler}-fn`);
    expect(fn.inputs.publish).toBe(false);
    expect(
      named("aws:apigatewayv2/integration:Integration", `-api-${route.handler}-integration`).inputs.integrationUri,
    ).toBe(fn.state.invokeArn);
  }
});

test("the EC2 fleet has the configured size and type, on the AL2023 AMI of that type's architecture", () => {
  const instances = run.ofType("aws:ec2/instance:Instance");
  expect(instances).toHaveLength(3);
  expect(run.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.imageId).toBe(
    "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
  );
  for (const instance of instances) expect(instance.inputs).toMatchObject({ instanceType: "c7i.large" });
});

test("agents require IMDSv2, have the agent role, no inbound ports, and boot into the agent loop", () => {
  const profile = run.one("aws:iam/instanceProfile:InstanceProfile");
  const sg = run.one("aws:ec2/securityGroup:SecurityGroup");
  const bucket = run.exports["resultsBucket"] as string;
  expect(run.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.metadataOptions).toMatchObject({
    httpTokens: "required",
  });
  for (const instance of run.ofType("aws:ec2/instance:Instance")) {
    expect(instance.inputs.iamInstanceProfile).toBe(profile.state.name);
    expect(instance.inputs.vpcSecurityGroupIds).toEqual([`${sg.name}-id`]);
    expect(instance.inputs.userData).toContain(`BUCKET=${bucket}`);
    expect(instance.inputs.userData).toContain(`REGION=${REGION}`);
  }
  expect(sg.inputs.ingress ?? []).toEqual([]);
});

test("the sale-in-trouble alarm mails the configured address; thresholds follow the config", () => {
  const topic = run.one("aws:sns/topic:Topic");
  expect(run.one("aws:sns/topicSubscription:TopicSubscription").inputs).toMatchObject({
    protocol: "email",
    endpoint: "ops@example.com",
    topic: topic.state.arn,
  });
  expect(run.one("aws:cloudwatch/compositeAlarm:CompositeAlarm").inputs.alarmActions).toEqual([topic.state.arn]);
  const alarms = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
  expect(alarms.find((a) => a.name.endsWith("-api-server-errors"))!.inputs.threshold).toBe(2.5);
  expect(alarms.find((a) => a.name.endsWith("-purchase-latency-p99"))!.inputs.threshold).toBe(750);
});

test("resource names carry the stack, so stacks never collide in one account", () => {
  expect(run.resources.every((resource) => resource.name.startsWith("flash-sale-prod-"))).toBe(true);
});
