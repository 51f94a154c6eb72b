/**
 * The expiry sweep (services/src/functions/hold-sweep.ts): a function an EventBridge rule invokes every minute.
 * It returns held units whose hold ran out, and may do exactly HOLD_SWEEP.dynamodbActions on the table; it never
 * sees the payment provider's secrets. Between sales it reads the catalog and returns (see infra/README.md for
 * what that costs).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUSINESS_METRICS } from "@flash-sale/services/contract";
import { HOLD_SWEEP } from "@flash-sale/services/routes";
import { handlerEntry, lambdaArchive, nodeTarget } from "../bundle";
import { assumeRolePolicy, policyJson } from "../policy";
import type { LambdaSettings } from "./route-function";

export interface HoldSweepArgs {
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  lambda: Omit<LambdaSettings, "timeoutSeconds">;
  metricsNamespace: string;
}

/** A run sweeps, waits until 30 s in and sweeps again while a sale's holds may run: well under this. */
export const HOLD_SWEEP_TIMEOUT_SECONDS = 50;
export const HOLD_SWEEP_SCHEDULE = "rate(1 minute)";

export class HoldSweep extends pulumi.ComponentResource {
  readonly fn: aws.lambda.Function;
  readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: HoldSweepArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:checkout:HoldSweep", name, {}, opts);
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.lambda.logRetentionDays },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com") },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: policyJson(
          { Sid: "Table", Effect: "Allow", Action: [...HOLD_SWEEP.dynamodbActions], Resource: [args.tableArn] },
          {
            Sid: "OwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
          },
        ),
      },
      { parent: this },
    );
    this.fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        description: `The expiry sweep of held orders (services/src/functions/${HOLD_SWEEP.handler}.ts)`,
        role: role.arn,
        runtime: args.lambda.runtime,
        architectures: ["arm64"],
        handler: "index.handler",
        code: lambdaArchive(handlerEntry(HOLD_SWEEP.handler), nodeTarget(args.lambda.runtime)),
        memorySize: args.lambda.memoryMb,
        timeout: HOLD_SWEEP_TIMEOUT_SECONDS,
        environment: {
          variables: {
            TABLE_NAME: args.tableName,
            NODE_OPTIONS: "--enable-source-maps",
            POWERTOOLS_METRICS_NAMESPACE: args.metricsNamespace,
            POWERTOOLS_SERVICE_NAME: BUSINESS_METRICS.service,
          },
        },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        reservedConcurrentExecutions: -1,
        // Nothing reserved (a new account's quota may be too low): overlapping runs are safe, since each hold
        // ends through a conditional write on its order's status.
      },
      { parent: this, dependsOn: [policy] },
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-schedule`,
      { description: "Returns held units whose hold ran out", scheduleExpression: HOLD_SWEEP_SCHEDULE },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(`${name}-target`, { rule: rule.name, arn: this.fn.arn }, { parent: this });
    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: this.fn.name,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      },
      { parent: this },
    );
    this.functionName = this.fn.name;
    this.registerOutputs({ functionName: this.functionName });
  }
}
