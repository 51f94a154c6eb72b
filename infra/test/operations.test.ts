/** Points 2-4 and 6 of the ops review under mocks: any account, tags, alarms that mean something, runtime details, WAF. */
import { BUSINESS_METRICS } from "@flash-sale/services/contract";
import { routes } from "@flash-sale/services/routes";
import { MOCK_VPC, ZONES } from "./support/mocks";
import { runProgram, unwrapSecrets, type Run } from "./support/program";

let dev: Run<Record<string, unknown>>;
let fleet: Run<Record<string, unknown>>;
beforeAll(async () => {
  dev = await runProgram();
  fleet = await runProgram(
    {
      "flash-sale:loadGenerators": '{"count":4,"instanceType":"c7g.large"}',
      "flash-sale:webAcl": "true",
      "flash-sale:webAclRateLimit": "3000",
      "flash-sale:mailFrom": "orders@example.com",
    },
    "loadtest",
  );
});

const named = (run: Run<Record<string, unknown>>, type: string, suffix: string) => {
  const found = run.ofType(type).find((resource) => resource.name.endsWith(suffix));
  if (!found) throw new Error(`no ${type} named *${suffix}`);
  return found;
};

describe("works in any account", () => {
  test("with no load generators there is no VPC, security group, launch template or AMI lookup", () => {
    for (const type of [
      "awsx:ec2:Vpc",
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:ec2/launchTemplate:LaunchTemplate",
      "aws:ec2/instance:Instance",
    ]) {
      expect({ type, count: dev.ofType(type).length }).toEqual({ type, count: 0 });
    }
    expect(dev.exports["loadGeneratorInstanceIds"]).toEqual([]);
  });

  test("with agents the stack brings its own VPC (public subnets in up to 3 zones offering the type, no NAT gateway), not the account's default VPC", () => {
    expect(fleet.one("awsx:ec2:Vpc").inputs).toMatchObject({
      availabilityZoneNames: ZONES,
      subnetSpecs: [{ type: "Public" }],
      natGateways: { strategy: "None" },
    });
    expect(fleet.one("aws:ec2/securityGroup:SecurityGroup").inputs).toMatchObject({ vpcId: MOCK_VPC.vpcId });
    expect(fleet.one("aws:ec2/securityGroup:SecurityGroup").inputs.ingress ?? []).toEqual([]);
  });

  test("agents take the subnets in turn, so one zone short of capacity does not stop the fleet", () => {
    const subnets = fleet.ofType("aws:ec2/instance:Instance").map((instance) => instance.inputs.subnetId);
    expect(subnets).toEqual(["subnet-a", "subnet-b", "subnet-c", "subnet-a"]);
    expect(fleet.exports["loadGeneratorInstanceIds"]).toEqual(
      [0, 1, 2, 3].map((i) => `flash-sale-loadtest-loadgen-agent-${i}-id`),
    );
  });

  test("the AMI is resolved by EC2 at launch from the public SSM parameter (a launch template), never looked up by the program", () => {
    const template = fleet.one("aws:ec2/launchTemplate:LaunchTemplate");
    expect(template.inputs).toMatchObject({
      imageId: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
      metadataOptions: { httpTokens: "required" },
    });
    for (const instance of fleet.ofType("aws:ec2/instance:Instance")) {
      expect(instance.inputs.ami).toBeUndefined();
      expect(instance.inputs.launchTemplate).toEqual({
        id: template.state.id ?? `lt-${template.name}-physical`,
        version: "1",
      });
    }
    expect(fleet.mocks.calls.filter((call) => call.token === "aws:ssm/getParameter:getParameter")).toEqual([]);
  });

  test("the dev config reserves no purchase concurrency, so it deploys where the account quota is low", () => {
    expect(named(dev, "aws:lambda/function:Function", "-api-purchase-fn").inputs.reservedConcurrentExecutions).toBe(-1);
  });
});

describe("default tags", () => {
  test("every AWS resource and lookup goes through the stack's provider, which tags everything", () => {
    const provider = fleet.one("pulumi:providers:aws");
    expect(provider.inputs.defaultTags).toEqual(
      JSON.stringify({ tags: { project: "flash-sale", stack: "loadtest", "managed-by": "pulumi" } }),
    );
    const ours = (reference: string | undefined) =>
      reference?.startsWith(`urn:pulumi:loadtest::flash-sale::pulumi:providers:aws::${provider.name}::`) ?? false;
    const untagged = fleet.resources
      .filter((resource) => resource.type.startsWith("aws:"))
      .filter((resource) => !ours(resource.provider))
      .map((resource) => `${resource.type} ${resource.name}`);
    expect(untagged).toEqual([]);
    // The awsx VPC is a remote component: it gets the provider for the resources it creates inside.
    expect(ours(fleet.optionsOf(fleet.one("awsx:ec2:Vpc")).providers["aws"])).toBe(true);
    expect(fleet.mocks.calls.every((call) => call.provider?.includes(provider.name))).toBe(true);
  });
});

describe("alarms that mean something", () => {
  const alarms = () =>
    Object.fromEntries(
      dev
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => [a.name.replace("flash-sale-dev-monitoring-", ""), a.inputs]),
    );
  const metricsOf = (alarm: Record<string, any>) =>
    (alarm.metricQueries ?? [])
      .filter((q: any) => q.metric)
      .map((q: any) => `${q.metric.namespace} ${q.metric.metricName}`);

  test("server errors are 500/502/504 counted from the access log: the deliberate 503 TRY_AGAIN never counts", () => {
    const filter = named(dev, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "-serverErrors");
    expect(filter.inputs.logGroupName).toBe(
      named(dev, "aws:cloudwatch/logGroup:LogGroup", "-api-access-logs").state.name,
    );
    expect(filter.inputs.pattern).toBe('{ ($.status = "500") || ($.status = "502") || ($.status = "504") }');
    expect(filter.inputs.pattern).not.toContain("503");
    const alarm = alarms()["api-server-errors"]!;
    expect(metricsOf(alarm).sort()).toEqual(["AWS/ApiGateway Count", "flash-sale-dev ServerErrors"]);
    expect(JSON.stringify(alarm)).not.toContain('"5xx"');
  });

  test("payment webhooks failing their signature check, and the provider failing, each raise an alarm at once", () => {
    const all = alarms();
    expect(metricsOf(all["payment-webhooks-rejected"]!)).toEqual(["flash-sale-dev PaymentWebhooksRejected"]);
    expect(metricsOf(all["payment-provider-failures"]!)).toEqual(["flash-sale-dev PaymentProviderFailures"]);
    for (const name of ["payment-webhooks-rejected", "payment-provider-failures"])
      expect(all[name]).toMatchObject({
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        datapointsToAlarm: 1,
      });
  });

  test("Lambda errors of every function, authorizer refusals, the purchase route's p99 and TRY_AGAIN each have an alarm", () => {
    const all = alarms();
    // Every route's function and the expiry sweep.
    expect(metricsOf(all["lambda-errors"]!)).toHaveLength(routes.length + 1);
    expect(metricsOf(all["authorizer-failures"]!)).toContain("flash-sale-dev AuthorizerFailures");
    // Only the authorizer's refusals: they never reach a function (no integration), unlike NOT_ADMITTED's 403.
    expect(named(dev, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "-authorizerFailures").inputs.pattern).toBe(
      '{ (($.status = "401") || ($.status = "403")) && ($.integrationLatency = "-") }',
    );
    expect(all["purchase-latency-p99"]).toMatchObject({
      metricName: "Latency",
      extendedStatistic: "p99",
      threshold: 1000,
      dimensions: { ApiId: "mockapi", Stage: "api", Method: "POST", Resource: "/purchases" },
    });
    expect(metricsOf(all["purchase-try-again"]!).sort()).toEqual([
      `flash-sale-dev ${BUSINESS_METRICS.confirmed}`,
      `flash-sale-dev ${BUSINESS_METRICS.tryAgain}`,
    ]);
  });

  test("a database failing fast (engine faults and missed deadlines, answered 503) raises its own alarm, inside the composite", () => {
    const alarm = alarms()["engine-faults"]!;
    expect(metricsOf(alarm).sort()).toEqual([
      "AWS/ApiGateway Count",
      `flash-sale-dev ${BUSINESS_METRICS.engineFaults}`,
    ]);
    expect(alarm).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: 5, datapointsToAlarm: 2 });
    const member = named(dev, "aws:cloudwatch/metricAlarm:MetricAlarm", "-engine-faults").state.name;
    const composite = dev.one("aws:cloudwatch/compositeAlarm:CompositeAlarm").inputs;
    expect(String(composite.alarmRule).split(" OR ")).toContain(`ALARM("${member}")`);
  });

  test("the access log fields the filters read are in the stage's log format", () => {
    const format = JSON.parse(dev.one("aws:apigatewayv2/stage:Stage").inputs.accessLogSettings.format);
    expect(format).toMatchObject({ status: "$context.status", integrationLatency: "$context.integrationLatency" });
  });

  test("a sweep that stops running (schedule disabled or deleted) fires after 5 minutes without a run; missing data counts", () => {
    const sweep = named(dev, "aws:lambda/function:Function", "-hold-sweep-fn").state.name;
    expect(alarms()["hold-sweep-not-running"]).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Invocations",
      dimensions: { FunctionName: sweep },
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    });
    // Its errors are in lambda-errors; every other alarm reads missing data as no failure.
    expect(JSON.stringify(alarms()["lambda-errors"])).toContain(sweep);
    for (const [key, alarm] of Object.entries(alarms()).filter(([key]) => key !== "hold-sweep-not-running"))
      expect({ key, missing: alarm.treatMissingData }).toEqual({ key, missing: "notBreaching" });
  });

  test("the purchase route has detailed (per-route) metrics, with the stage's throttling", () => {
    expect(dev.one("aws:apigatewayv2/stage:Stage").inputs.routeSettings).toEqual([
      {
        routeKey: "POST /purchases",
        detailedMetricsEnabled: true,
        throttlingRateLimit: 2000,
        throttlingBurstLimit: 1000,
      },
    ]);
  });

  test("one composite 'sale in trouble' alarm over every other alarm notifies the alarm topic; the members notify nobody", () => {
    const composite = dev.one("aws:cloudwatch/compositeAlarm:CompositeAlarm").inputs;
    const members = dev.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(String(composite.alarmRule).split(" OR ").sort()).toEqual(
      members.map((member) => `ALARM("${member.state.name}")`).sort(),
    );
    expect(members).toHaveLength(12);
    expect(composite.alarmActions).toEqual([dev.exports["alarmTopicArn"]]);
    for (const member of members) expect(member.inputs.alarmActions ?? []).toEqual([]);
  });

  test("the dashboard shows the handlers' business metrics and the access-log failures; its URL is an output", () => {
    const body = dev.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string;
    for (const metric of [
      BUSINESS_METRICS.confirmed,
      BUSINESS_METRICS.tryAgain,
      BUSINESS_METRICS.shardHops,
      BUSINESS_METRICS.refused,
      BUSINESS_METRICS.engineFaults,
      "ServerErrors",
      "AuthorizerFailures",
    ]) {
      expect({ metric, shown: body.includes(`"${metric}"`) || body.includes(`MetricName=\\"${metric}\\"`) }).toEqual({
        metric,
        shown: true,
      });
    }
    expect(dev.exports["dashboardUrl"]).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/flash-sale-dev-monitoring",
    );
  });

  test("the dashboard shows held purchases and what became of them, the payment problems, and the sweep's runs, per minute", () => {
    const body = JSON.parse(dev.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
    const shown = body.widgets.flatMap((w: any) =>
      w.properties.metrics
        .filter((m: any[]) => typeof m[0] === "string")
        .map((m: any[]) => ({ metric: `${m[0]} ${m[1]}`, stat: m.at(-1).stat, period: w.properties.period })),
    );
    for (const metric of [
      BUSINESS_METRICS.held,
      BUSINESS_METRICS.paymentsConfirmed,
      BUSINESS_METRICS.paymentsDeclined,
      BUSINESS_METRICS.latePaymentsRefunded,
      BUSINESS_METRICS.holdsExpired,
      BUSINESS_METRICS.providerFailures,
      BUSINESS_METRICS.webhooksRejected,
    ])
      expect(shown).toContainEqual({ metric: `flash-sale-dev ${metric}`, stat: "Sum", period: 60 });
    const sweep = named(dev, "aws:lambda/function:Function", "-hold-sweep-fn").state.name;
    const sweepWidget = body.widgets.find((w: any) => w.properties.title.startsWith("Hold sweep"));
    expect(sweepWidget.properties.metrics.map((m: any[]) => m.slice(0, 4).join(" "))).toEqual([
      `AWS/Lambda Invocations FunctionName ${sweep}`,
      `AWS/Lambda Errors FunctionName ${sweep}`,
      `flash-sale-dev ${BUSINESS_METRICS.holdsExpired} service flash-sale`,
    ]);
  });

  test("functions emit their metrics into the stack's namespace and log readable stacks (source maps)", () => {
    for (const fn of dev.ofType("aws:lambda/function:Function")) {
      expect(unwrapSecrets(fn.inputs).environment.variables).toMatchObject({
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_METRICS_NAMESPACE: "flash-sale-dev",
        POWERTOOLS_SERVICE_NAME: "flash-sale",
      });
    }
  });
});

describe("edge protection (opt-in)", () => {
  test("off by default: no web ACL, none on the distribution", () => {
    expect(dev.ofType("aws:wafv2/webAcl:WebAcl")).toEqual([]);
    expect(dev.one("aws:cloudfront/distribution:Distribution").inputs.webAclId).toBeUndefined();
  });

  test("when on: a CloudFront-scoped ACL in us-east-1 with a per-IP rate rule and AWS's common rules, on the distribution", () => {
    const acl = fleet.one("aws:wafv2/webAcl:WebAcl");
    expect(acl.inputs).toMatchObject({ scope: "CLOUDFRONT", region: "us-east-1", defaultAction: { allow: {} } });
    expect(acl.inputs.rules.map((rule: any) => rule.statement)).toEqual([
      { rateBasedStatement: { limit: 3000, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
      { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } },
    ]);
    expect(fleet.one("aws:cloudfront/distribution:Distribution").inputs.webAclId).toBe(acl.state.arn);
  });
});
