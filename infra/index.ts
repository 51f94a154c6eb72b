/**
 * The flash-sale platform on AWS (`npx pulumi up` from the repository root; Pulumi.yaml has `main: infra/`).
 * Configuration: src/config.ts (every key has a default); operations: README.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";
import { AGENT_ENTRY } from "@flash-sale/perf/agent/bundle";
import { routes } from "@flash-sale/services/routes";
import { readConfig } from "./src/config";
import { HoldSweep } from "./src/components/hold-sweep";
import { Api } from "./src/components/api";
import { Auth } from "./src/components/auth";
import { Data } from "./src/components/data";
import { LoadGenerators } from "./src/components/load-generators";
import { Monitoring } from "./src/components/monitoring";
import { OrderEvents } from "./src/components/order-events";
import { Storefront } from "./src/components/storefront";
import { originSecret } from "./src/edge/origin-secret";
import { publicCachedPathPatterns } from "./src/edge/public-routes";
import { lastDeployment } from "./src/data/last-deployment";
import { createProvider } from "./src/providers";
import { WaitingRoom } from "./src/components/waiting-room";

const config = readConfig();
const { prefix } = config;
// Every component (and so every resource) uses this provider: the stack's default tags on everything.
const provider = createProvider(prefix, config.stack);
const withProvider = { providers: [provider] };
const region = aws.getRegionOutput({}, { provider }).region;
/** The functions' CloudWatch namespace (an output, for `npm run stock -- watch --table ... --metrics <it>`). */
export const metricsNamespace = prefix;

const data = new Data(
  `${prefix}-data`,
  {
    expectedPeakPurchasesPerSecond: config.expectedPeakPurchasesPerSecond,
    deletionProtection: config.deletionProtection,
    lastDeployment: lastDeployment(`${prefix}-last-deployment`),
  },
  withProvider,
);

const auth = new Auth(
  `${prefix}-auth`,
  {
    region,
    deletionProtection: config.deletionProtection,
    ...(config.mailFrom ? { mailFrom: config.mailFrom } : {}),
  },
  withProvider,
);

const waitingRoom = new WaitingRoom(`${prefix}-waiting-room`, {}, withProvider);

// CloudFront sends it to the API, whose functions refuse requests without it (infra/README.md, Edge protection).
const apiOriginSecret = originSecret(`${prefix}-origin-secret`, { provider });

// The payment page returns shoppers to the storefront, so the functions that take payments need CloudFront's URL,
// while CloudFront's /api/* origin is the API. No resource cycle: the distribution waits for the HTTP API resource
// alone (its endpoint), the paying functions wait for the distribution, and their integrations, routes and the
// stage for them. The URL is handed to the API before the storefront exists, and resolved once it does.
const [storefrontUrlForFunctions, resolveStorefrontUrl] = pulumi.deferredOutput<string>();

const api = new Api(
  `${prefix}-api`,
  {
    routes,
    admissionKey: waitingRoom.admissionKey,
    originSecret: apiOriginSecret,
    ...(config.payments ? { paymentSecrets: config.payments } : {}),
    storefrontUrl: storefrontUrlForFunctions,
    tableName: data.tableName,
    tableArn: data.tableArn,
    tableHasIndexes: data.hasIndexes,
    issuer: auth.issuer,
    audience: auth.userPoolClientId,
    lambda: {
      runtime: config.lambdaRuntime,
      memoryMb: config.lambdaMemoryMb,
      timeoutSeconds: config.lambdaTimeoutSeconds,
      logRetentionDays: config.logRetentionDays,
    },
    concurrency: {
      purchase: { reserved: config.purchaseReservedConcurrency, provisioned: config.purchaseProvisionedConcurrency },
    },
    throttle: { rateLimit: config.apiThrottleRateLimit, burstLimit: config.apiThrottleBurstLimit },
    metricsNamespace,
    detailedMetricsRoutes: ["purchase"],
  },
  withProvider,
);

/** What the functions outside the API (the sweep, the stream consumer) share: the table and the Lambda settings. */
const backgroundFunction = {
  tableName: data.tableName,
  tableArn: data.tableArn,
  tableHasIndexes: data.hasIndexes,
  lambda: {
    runtime: config.lambdaRuntime,
    memoryMb: config.lambdaMemoryMb,
    logRetentionDays: config.logRetentionDays,
  },
  metricsNamespace,
};

const holdSweep = new HoldSweep(`${prefix}-hold-sweep`, backgroundFunction, withProvider);

// The table stream's consumer mails shoppers, so it needs a sender: without `mailFrom` it is not deployed (the
// stream still runs; the order widgets stay empty). See infra/README.md (Order events).
const orderEvents =
  config.mailFrom && auth.mailIdentity
    ? new OrderEvents(
        `${prefix}-order-events`,
        {
          ...backgroundFunction,
          streamArn: data.streamArn,
          mailFrom: config.mailFrom,
          identity: auth.mailIdentity,
          userPoolId: auth.userPoolId,
          userPoolArn: auth.userPool.arn,
        },
        withProvider,
      )
    : undefined;

const storefront = new Storefront(
  `${prefix}-web`,
  {
    siteDir: config.webDir,
    apiHost: api.host,
    apiStageName: api.stageName,
    originSecret: apiOriginSecret,
    publicApiPathPatterns: publicCachedPathPatterns(routes),
    region,
    userPoolId: auth.userPoolId,
    userPoolClientId: auth.userPoolClientId,
    ...(config.webAcl ? { webAcl: { rateLimit: config.webAclRateLimit } } : {}),
  },
  withProvider,
);
resolveStorefrontUrl(storefront.url);

const loadGenerators = new LoadGenerators(
  `${prefix}-loadgen`,
  {
    count: config.loadGenerators.count,
    instanceType: config.loadGenerators.instanceType,
    region,
    agentEntry: existsSync(AGENT_ENTRY) ? AGENT_ENTRY : undefined,
  },
  withProvider,
);

const purchaseFunction = api.functions.find((fn) => fn.handler === "purchase");
const purchaseRoute = routes.find((route) => route.handler === "purchase");
if (!purchaseFunction || !purchaseRoute)
  throw new Error("the route table has no purchase route (services/src/routes.ts)");
const paymentWebhookRoute = routes.find((route) => route.handler === "payment-webhook");
if (!paymentWebhookRoute) throw new Error("the route table has no payment webhook route (services/src/routes.ts)");
const monitoring = new Monitoring(
  `${prefix}-monitoring`,
  {
    region,
    apiId: api.apiId,
    stageName: api.stageName,
    accessLogGroupName: api.accessLogGroupName,
    // The sweep's and the stream consumer's errors raise the same Lambda-errors alarm as the API's functions.
    functions: [
      ...api.functions,
      { handler: "hold-sweep", functionName: holdSweep.functionName },
      ...(orderEvents ? [{ handler: "order-events", functionName: orderEvents.functionName }] : []),
    ],
    purchaseFunctionName: purchaseFunction.functionName,
    holdSweepFunctionName: holdSweep.functionName,
    purchaseRoute,
    tableName: data.tableName,
    metricsNamespace,
    api5xxRatePercent: config.alarm5xxRatePercent,
    purchaseP99Ms: config.alarmPurchaseP99Ms,
    alarmEmail: config.alarmEmail,
    ...(orderEvents
      ? {
          orderEvents: {
            functionName: orderEvents.functionName,
            failureQueueName: orderEvents.failureQueueName,
          },
        }
      : {}),
  },
  withProvider,
);

/** The storefront, for shoppers. */
export const storefrontUrl = storefront.url;
/** The API as the storefront calls it (same origin, through CloudFront). */
export const apiUrl = storefront.apiUrl;
/**
 * The API Gateway stage directly, bypassing CloudFront: every function answers 401 without CloudFront's origin
 * secret (a load test of the backend alone sends it: infra/README.md, Running a load test).
 */
export const apiGatewayUrl = api.url;
/** Where Stripe sends events: register it in Stripe's dashboard (infra/README.md, Payments). */
export const paymentWebhookUrl = pulumi.interpolate`${storefront.apiUrl}${paymentWebhookRoute.path}`;
export const userPoolId = auth.userPoolId;
export const userPoolClientId = auth.userPoolClientId;
export const tableName = data.tableName;
/** What this deployment asked of the table; the next deployment's guard refuses to go below it. */
export const tableWarmThroughput = data.warmThroughputPlan;
/** Attach to merchandisers for `npm run stock` against the deployed table. */
export const merchandiserPolicyArn = data.merchandiserPolicy.arn;
export const resultsBucket = loadGenerators.bucketName;
export const loadGeneratorInstanceIds = loadGenerators.instanceIds;
export const dashboardUrl = monitoring.dashboardUrl;
export const alarmTopicArn = monitoring.topic.arn;
/** The expiry sweep's function (its logs say how many holds each run returned). */
export const holdSweepFunctionName = holdSweep.functionName;
/** The table stream's consumer (order mails and metrics); absent without `mailFrom`. */
export const orderEventsFunctionName = orderEvents?.functionName;
/** Order events that failed every retry, set aside (an alarm fires while it is not empty): infra/README.md says how to replay them. */
export const orderEventsFailureQueueUrl = orderEvents?.failureQueueUrl;
/** The SES identity order mails are sent as: verify it (SES mails it a link) and leave the sandbox before a sale. */
export const mailFromIdentity = auth.mailIdentity?.emailIdentity;
export { region };
