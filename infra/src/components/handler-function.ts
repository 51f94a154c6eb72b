/**
 * What every Lambda function of the program shares, whatever invokes it (an API route, a schedule): its own
 * esbuild bundle, log group, role and inline policy (exactly the given DynamoDB actions on the table, writing
 * to its own log group, and any further statements its owner passes), arm64 on the configured runtime, the
 * metrics and source-map environment.
 * Created as children of the component that owns the function, under the names `<name>-logs`, `-role`,
 * `-policy` and `-fn`, so moving a function onto this helper changes no resource's URN.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUSINESS_METRICS } from "@flash-sale/services/contract";
import type { DynamoDbAction } from "@flash-sale/services/routes";
import { lambdaArchive, nodeTarget } from "../bundle";
import type { LambdaRuntime } from "../config";
import { assumeRolePolicy, policyJson, type Statement } from "../policy";

export interface LambdaSettings {
  runtime: LambdaRuntime;
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
}

export interface HandlerFunctionArgs {
  /** The function's description in the console: what invokes it and its source file. */
  description: string;
  /** The handler's TypeScript source (exports `handler`). */
  entry: string;
  /** The only DynamoDB actions its role may perform, on the table (and its indexes, if any). */
  dynamodbActions: readonly DynamoDbAction[];
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  tableHasIndexes: boolean;
  lambda: LambdaSettings;
  /** CloudWatch namespace of the handler's business metrics (POWERTOOLS_METRICS_NAMESPACE). */
  metricsNamespace: string;
  /** Variables beyond the ones every function gets (a secret value makes the whole environment secret). */
  environment?: Record<string, pulumi.Input<string>>;
  /** Further statements of its role's policy, after the table's and its logs' (what else the function calls). */
  statements?: Statement[];
  /** -1 = unreserved (the default). */
  reservedConcurrency?: number;
  /** Publish a version (what an alias, and so provisioned concurrency, points at); unset leaves AWS's default. */
  publish?: boolean;
}

export interface HandlerFunction {
  fn: aws.lambda.Function;
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
}

/** The function, its role, policy and log group, as children of `parent`. */
export function handlerFunction(name: string, args: HandlerFunctionArgs, parent: pulumi.Resource): HandlerFunction {
  const { lambda } = args;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { retentionInDays: lambda.logRetentionDays },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    { assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com") },
    { parent },
  );

  const tableResources: pulumi.Input<string>[] = [args.tableArn];
  if (args.tableHasIndexes) tableResources.push(pulumi.interpolate`${args.tableArn}/index/*`);
  const statements: Statement[] = [
    { Sid: "Table", Effect: "Allow", Action: [...args.dynamodbActions], Resource: tableResources },
    {
      Sid: "OwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
    },
    ...(args.statements ?? []),
  ];
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { role: role.id, policy: policyJson(...statements) },
    { parent },
  );

  const fn = new aws.lambda.Function(
    `${name}-fn`,
    {
      description: args.description,
      role: role.arn,
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
          ...args.environment,
        },
      },
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      reservedConcurrentExecutions: args.reservedConcurrency ?? -1,
      ...(args.publish === undefined ? {} : { publish: args.publish }),
    },
    { parent, dependsOn: [policy] },
  );
  return { fn, role, logGroup };
}
