/**
 * The HTTP API: one route and one Lambda function per row of the route table, every authenticated route behind
 * a JWT authorizer for the user pool and the storefront's client, on a stage named `api` so CloudFront can
 * forward `/api/*` unchanged (the stage name consumes the prefix; routes stay `/products`, `/purchases`, ...).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_TOKEN_SCOPE, type Route } from "@flash-sale/services/routes";
import { handlerEntry } from "../bundle";
import type { LambdaSettings } from "./handler-function";
import { RouteFunction, type ConcurrencySettings, type PaymentSecretInputs } from "./route-function";

export const STAGE_NAME = "api";

export interface ApiArgs {
  routes: readonly Route[];
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  tableHasIndexes: boolean;
  /** The waiting room's key (components/waiting-room.ts), for the routes the table marks `admissionKey`. */
  admissionKey: pulumi.Input<string>;
  /** Stripe's secrets (config secrets), for the routes the table marks `paymentSecrets`. */
  paymentSecrets?: PaymentSecretInputs;
  /**
   * The storefront's https URL, for the same routes (STOREFRONT_URL: where the payment page returns). It is
   * CloudFront's, whose /api/* origin is this API: only those functions (and so their integrations, routes and the
   * stage) wait for the distribution; the HTTP API resource itself, CloudFront's origin, does not.
   */
  storefrontUrl: pulumi.Input<string>;
  /**
   * The value CloudFront adds to every request it forwards (edge/origin-secret.ts): each function refuses a request
   * without it, so the execute-api endpoint cannot be used to skip the WAF and the cache.
   */
  originSecret: pulumi.Input<string>;
  /** JWT authorizer: tokens from this issuer (the user pool) for this audience (the app client). */
  issuer: pulumi.Input<string>;
  audience: pulumi.Input<string>;
  lambda: LambdaSettings;
  /** Per-handler concurrency (the purchase function's reserved and provisioned environments). */
  concurrency: Partial<Record<Route["handler"], ConcurrencySettings>>;
  throttle: { rateLimit: number; burstLimit: number };
  /** Where a handler's source lives; defaults to services/src/functions/<handler>.ts. */
  entryFor?: (handler: Route["handler"]) => string;
  /** CloudWatch namespace of the handlers' business metrics (EMF, services/src/http/metrics.ts). */
  metricsNamespace: string;
  /** Routes that also get per-route API metrics (latency per route; billed as custom metrics). */
  detailedMetricsRoutes: readonly Route["handler"][];
}

export class Api extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  readonly functions: { handler: Route["handler"]; functionName: pulumi.Output<string> }[] = [];
  /** https://<id>.execute-api.<region>.amazonaws.com/api: answers 401 without CloudFront's origin secret. */
  readonly url: pulumi.Output<string>;
  /**
   * <id>.execute-api.<region>.amazonaws.com, CloudFront's origin for /api/*. It depends on the HTTP API resource
   * alone (never the functions or the stage), which is what lets the paying functions take CloudFront's URL.
   */
  readonly host: pulumi.Output<string>;
  readonly apiId: pulumi.Output<string>;
  readonly stageName = STAGE_NAME;
  /** The stage's JSON access log (one line per request): the source of the 500/502/504 and 401/403 metrics. */
  readonly accessLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:api:Api", name, {}, opts);
    const entryFor = args.entryFor ?? handlerEntry;

    // No CORS configuration: browsers reach the API through the storefront's own CloudFront domain.
    this.api = new aws.apigatewayv2.Api(`${name}-http`, { protocolType: "HTTP" }, { parent: this });

    const authorizer = new aws.apigatewayv2.Authorizer(
      `${name}-jwt`,
      {
        apiId: this.api.id,
        name: "cognito",
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        // Access tokens carry client_id rather than aud; API Gateway checks client_id against the audience then.
        jwtConfiguration: { issuer: args.issuer, audiences: [args.audience] },
      },
      { parent: this },
    );

    const routes: aws.apigatewayv2.Route[] = [];
    for (const route of args.routes) {
      const fn = new RouteFunction(
        `${name}-${route.handler}`,
        {
          route,
          entry: entryFor(route.handler),
          tableName: args.tableName,
          tableArn: args.tableArn,
          tableHasIndexes: args.tableHasIndexes,
          admissionKey: args.admissionKey,
          originSecret: args.originSecret,
          ...(args.paymentSecrets ? { paymentSecrets: args.paymentSecrets } : {}),
          ...(route.paymentSecrets ? { storefrontUrl: args.storefrontUrl } : {}),
          lambda: args.lambda,
          metricsNamespace: args.metricsNamespace,
          ...(args.concurrency[route.handler] ? { concurrency: args.concurrency[route.handler] } : {}),
          apiExecutionArn: this.api.executionArn,
          stageName: STAGE_NAME,
        },
        { parent: this },
      );
      this.functions.push({ handler: route.handler, functionName: fn.functionName });
      const integration = new aws.apigatewayv2.Integration(
        `${name}-${route.handler}-integration`,
        {
          apiId: this.api.id,
          integrationType: "AWS_PROXY",
          integrationUri: fn.invokeArn,
          integrationMethod: "POST",
          payloadFormatVersion: "2.0",
          timeoutMilliseconds: Math.min(30_000, args.lambda.timeoutSeconds * 1000 + 1000),
        },
        { parent: this },
      );
      routes.push(
        new aws.apigatewayv2.Route(
          `${name}-${route.handler}-route`,
          {
            apiId: this.api.id,
            routeKey: `${route.method} ${route.path}`,
            target: pulumi.interpolate`integrations/${integration.id}`,
            // The access-token scope keeps Cognito ID tokens out: the JWT authorizer accepts both otherwise.
            ...(route.auth
              ? { authorizationType: "JWT", authorizerId: authorizer.id, authorizationScopes: [ACCESS_TOKEN_SCOPE] }
              : { authorizationType: "NONE" }),
          },
          { parent: this },
        ),
      );
    }

    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      { retentionInDays: args.lambda.logRetentionDays },
      { parent: this },
    );
    this.stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: this.api.id,
        name: STAGE_NAME,
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.throttle.rateLimit,
          throttlingBurstLimit: args.throttle.burstLimit,
        },
        routeSettings: args.routes
          .filter((route) => args.detailedMetricsRoutes.includes(route.handler))
          .map((route) => ({
            routeKey: `${route.method} ${route.path}`,
            detailedMetricsEnabled: true,
            throttlingRateLimit: args.throttle.rateLimit,
            throttlingBurstLimit: args.throttle.burstLimit,
          })),
        accessLogSettings: { destinationArn: accessLogs.arn, format: JSON.stringify(ACCESS_LOG_FORMAT) },
      },
      { parent: this, dependsOn: routes },
    );

    this.apiId = this.api.id;
    this.accessLogGroupName = accessLogs.name;
    this.url = pulumi.interpolate`${this.api.apiEndpoint}/${this.stage.name}`;
    this.host = this.api.apiEndpoint.apply((endpoint) => new URL(endpoint).host);
    this.registerOutputs({ url: this.url, apiId: this.apiId });
  }
}

/** One JSON line per request: who, which route, status, and where the time went. */
const ACCESS_LOG_FORMAT = {
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
  sub: "$context.authorizer.claims.sub",
};
