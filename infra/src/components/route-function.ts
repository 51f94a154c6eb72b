/**
 * One route's Lambda function: its own bundle, role, log group and invoke permission.
 * The role may do exactly the route's `dynamodbActions` on the table, and write to its own log group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUSINESS_METRICS } from "@flash-sale/services/contract";
import { PAYMENT_ENV, type Route } from "@flash-sale/services/routes";
import { lambdaArchive, nodeTarget } from "../bundle";
import type { LambdaRuntime } from "../config";
import { assumeRolePolicy, policyJson, type Statement } from "../policy";

export interface LambdaSettings {
  runtime: LambdaRuntime;
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
}

export interface ConcurrencySettings {
  /** -1 = unreserved. */
  reserved: number;
  /** 0 = none; above 0 the API invokes the `live` alias, which keeps this many environments initialised. */
  provisioned: number;
}

export interface RouteFunctionArgs {
  route: Route;
  /** The handler's TypeScript source (exports `handler`). */
  entry: string;
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  tableHasIndexes: boolean;
  /** The waiting room's key (secret), set as ADMISSION_KEY for routes that sign or check passes. */
  admissionKey?: pulumi.Input<string>;
  /** The payment provider's secrets, set (as secrets) only for routes marked `paymentSecrets`. */
  paymentSecrets?: { secretKey: pulumi.Input<string>; webhookSecret: pulumi.Input<string> };
  lambda: LambdaSettings;
  /** CloudWatch namespace of the handler's business metrics (POWERTOOLS_METRICS_NAMESPACE). */
  metricsNamespace: string;
  concurrency?: ConcurrencySettings;
  /** The HTTP API's execution ARN and stage, to scope who may invoke the function. */
  apiExecutionArn: pulumi.Input<string>;
  stageName: string;
}

/** `{sku}` path parameters become `*` in execute-api source ARNs. */
export function routeSourceArn(executionArn: string, stageName: string, route: Pick<Route, "method" | "path">): string {
  return `${executionArn}/${stageName}/${route.method}${route.path.replace(/\{[^}]+\}/g, "*")}`;
}

export class RouteFunction extends pulumi.ComponentResource {
  readonly fn: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly alias: aws.lambda.Alias | undefined;
  readonly functionName: pulumi.Output<string>;
  /** What the API integration calls: the `live` alias when provisioned concurrency is on, else the function. */
  readonly invokeArn: pulumi.Output<string>;

  constructor(name: string, args: RouteFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:api:RouteFunction", name, {}, opts);
    const { route, lambda } = args;
    if (route.admissionKey && !args.admissionKey)
      throw new Error(
        `${route.method} ${route.path} signs or checks admission passes: give its function the admission key`,
      );
    const provisioned = args.concurrency?.provisioned ?? 0;

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: lambda.logRetentionDays },
      { parent: this },
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com") },
      { parent: this },
    );

    const tableResources: pulumi.Input<string>[] = [args.tableArn];
    if (args.tableHasIndexes) tableResources.push(pulumi.interpolate`${args.tableArn}/index/*`);
    const statements: Statement[] = [
      { Sid: "Table", Effect: "Allow", Action: [...route.dynamodbActions], Resource: tableResources },
      {
        Sid: "OwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: pulumi.interpolate`${this.logGroup.arn}:log-stream:*`,
      },
    ];
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: this.role.id, policy: policyJson(...statements) },
      { parent: this },
    );

    this.fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        description: `${route.method} ${route.path} (services/src/functions/${route.handler}.ts)`,
        role: this.role.arn,
        runtime: lambda.runtime,
        architectures: ["arm64"],
        handler: "index.handler",
        code: lambdaArchive(args.entry, nodeTarget(lambda.runtime)),
        memorySize: lambda.memoryMb,
        timeout: lambda.timeoutSeconds,
        environment: {
          variables: {
            TABLE_NAME: args.tableName,
            // Logged stacks point into services/src/*.ts rather than the minified bundle (index.js.map).
            NODE_OPTIONS: "--enable-source-maps",
            POWERTOOLS_METRICS_NAMESPACE: args.metricsNamespace,
            POWERTOOLS_SERVICE_NAME: BUSINESS_METRICS.service,
            ...(route.admissionKey && args.admissionKey ? { ADMISSION_KEY: args.admissionKey } : {}),
            ...(route.paymentSecrets && args.paymentSecrets
              ? {
                  [PAYMENT_ENV.secretKey]: pulumi.secret(args.paymentSecrets.secretKey),
                  [PAYMENT_ENV.webhookSecret]: pulumi.secret(args.paymentSecrets.webhookSecret),
                }
              : {}),
          },
        },
        loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
        reservedConcurrentExecutions: args.concurrency?.reserved ?? -1,
        // A version is what an alias (and so provisioned concurrency) points at.
        publish: provisioned > 0,
      },
      { parent: this, dependsOn: [policy] },
    );

    let invokeArn = this.fn.invokeArn;
    let qualifier: pulumi.Output<string> | undefined;
    if (provisioned > 0) {
      this.alias = new aws.lambda.Alias(
        `${name}-live`,
        { name: "live", functionName: this.fn.name, functionVersion: this.fn.version },
        { parent: this },
      );
      new aws.lambda.ProvisionedConcurrencyConfig(
        `${name}-provisioned`,
        { functionName: this.fn.name, qualifier: this.alias.name, provisionedConcurrentExecutions: provisioned },
        { parent: this },
      );
      invokeArn = this.alias.invokeArn;
      qualifier = this.alias.name;
    }
    this.invokeArn = invokeArn;

    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: this.fn.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.output(args.apiExecutionArn).apply((arn) => routeSourceArn(arn, args.stageName, route)),
        ...(qualifier ? { qualifier } : {}),
      },
      { parent: this },
    );

    this.functionName = this.fn.name;
    this.registerOutputs({ functionName: this.functionName, invokeArn: this.invokeArn });
  }
}
