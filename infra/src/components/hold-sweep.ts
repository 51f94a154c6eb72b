/**
 * The expiry sweep (services/src/functions/hold-sweep.ts): a function an EventBridge rule invokes every minute,
 * built like the route functions (handler-function.ts: its own bundle, role, log group, runtime, arm64).
 * It returns held units whose hold ran out, and may do exactly HOLD_SWEEP.dynamodbActions on the table; it never
 * sees the payment provider's secrets. Between sales it reads the catalog and returns (see infra/README.md for
 * what that costs).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HOLD_SWEEP } from "@flash-sale/services/routes";
import { handlerEntry } from "../bundle";
import { handlerFunction, type LambdaSettings } from "./handler-function";

export interface HoldSweepArgs {
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  tableHasIndexes: boolean;
  /** The route functions' settings but the timeout (the sweep's own, HOLD_SWEEP_TIMEOUT_SECONDS). */
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
    // Nothing reserved (a new account's quota may be too low): overlapping runs are safe, since each hold ends
    // through a conditional write on its order's status.
    this.fn = handlerFunction(
      name,
      {
        description: `The expiry sweep of held orders (services/src/functions/${HOLD_SWEEP.handler}.ts)`,
        entry: handlerEntry(HOLD_SWEEP.handler),
        dynamodbActions: HOLD_SWEEP.dynamodbActions,
        tableName: args.tableName,
        tableArn: args.tableArn,
        tableHasIndexes: args.tableHasIndexes,
        lambda: { ...args.lambda, timeoutSeconds: HOLD_SWEEP_TIMEOUT_SECONDS },
        metricsNamespace: args.metricsNamespace,
      },
      this,
    ).fn;
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
