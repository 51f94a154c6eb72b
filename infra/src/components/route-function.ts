/**
 * One route's Lambda function: its own bundle, role, log group (handler-function.ts) and invoke permission.
 * The role may do exactly the route's `dynamodbActions` on the table, and write to its own log group. Secrets
 * reach only the routes whose row asks for them: the admission key (`admissionKey`) and the payment provider's
 * secret key and webhook signing secret (`paymentSecrets`), which also get the storefront's URL.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORIGIN_SECRET_ENV, PAYMENT_ENV, type Route } from "@flash-sale/services/routes";
import { handlerFunction, type LambdaSettings } from "./handler-function";

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
  /** CloudFront's origin secret (every route), set as a secret in ORIGIN_SECRET_ENV: requests without it are refused. */
  originSecret?: pulumi.Input<string>;
  /** The payment provider's secrets, set (as secrets) only for routes marked `paymentSecrets`. */
  paymentSecrets?: PaymentSecretInputs;
  /**
   * The storefront's https URL (CloudFront's), set as STOREFRONT_URL for routes marked `paymentSecrets`: the
   * payment page sends shoppers back to `<it>/orders/<orderId>`. Required for those routes.
   */
  storefrontUrl?: pulumi.Input<string>;
  lambda: LambdaSettings;
  /** CloudWatch namespace of the handler's business metrics (POWERTOOLS_METRICS_NAMESPACE). */
  metricsNamespace: string;
  concurrency?: ConcurrencySettings;
  /** The HTTP API's execution ARN and stage, to scope who may invoke the function. */
  apiExecutionArn: pulumi.Input<string>;
  stageName: string;
}

export interface PaymentSecretInputs {
  secretKey: pulumi.Input<string>;
  webhookSecret: pulumi.Input<string>;
}

/** What a function that takes payments gets: the secrets (as secrets) when configured, and the storefront's URL. */
function paymentEnvironment(args: RouteFunctionArgs): Record<string, pulumi.Input<string>> {
  return {
    ...(args.paymentSecrets
      ? {
          [PAYMENT_ENV.secretKey]: pulumi.secret(args.paymentSecrets.secretKey),
          [PAYMENT_ENV.webhookSecret]: pulumi.secret(args.paymentSecrets.webhookSecret),
        }
      : {}),
    ...(args.storefrontUrl ? { [PAYMENT_ENV.storefrontUrl]: args.storefrontUrl } : {}),
  };
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
    if (route.paymentSecrets && !args.storefrontUrl)
      throw new Error(
        `${route.method} ${route.path} takes payments: give its function the storefront URL (the payment page returns there)`,
      );
    const provisioned = args.concurrency?.provisioned ?? 0;

    const parts = handlerFunction(
      name,
      {
        description: `${route.method} ${route.path} (services/src/functions/${route.handler}.ts)`,
        entry: args.entry,
        dynamodbActions: route.dynamodbActions,
        tableName: args.tableName,
        tableArn: args.tableArn,
        tableHasIndexes: args.tableHasIndexes,
        lambda,
        metricsNamespace: args.metricsNamespace,
        environment: {
          ...(route.admissionKey && args.admissionKey ? { ADMISSION_KEY: args.admissionKey } : {}),
          ...(args.originSecret ? { [ORIGIN_SECRET_ENV]: pulumi.secret(args.originSecret) } : {}),
          ...(route.paymentSecrets ? paymentEnvironment(args) : {}),
        },
        reservedConcurrency: args.concurrency?.reserved ?? -1,
        // A version is what an alias (and so provisioned concurrency) points at.
        publish: provisioned > 0,
      },
      this,
    );
    this.fn = parts.fn;
    this.role = parts.role;
    this.logGroup = parts.logGroup;

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
