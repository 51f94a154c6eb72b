/**
 * The whole program with an empty stack config (stack "dev"), under mocks: what a first `pulumi up` would create.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { routes } from "@flash-sale/services/routes";
import { planCapacity } from "@flash-sale/services/contract";
import { missingRequires } from "./support/bundle-check";
import { ACCOUNT, REGION, type Registered } from "./support/mocks";
import { parsePolicy, runProgram, unwrapSecrets, type Run } from "./support/program";

let run: Run<Record<string, unknown>>;
beforeAll(async () => {
  run = await runProgram();
});

/** The API's route functions (the expiry sweep is the one function that is not). */
const apiFunctions = () => run.ofType("aws:lambda/function:Function").filter((fn) => fn.name.includes("-api-"));

const byName = (resources: Registered[], suffix: string) => {
  const found = resources.find((resource) => resource.name.endsWith(suffix));
  if (!found) throw new Error(`no resource named *${suffix}: ${resources.map((r) => r.name).join(", ")}`);
  return found;
};

describe("outputs", () => {
  test("the stack exports the URLs, ids and names the CLI, perf tool and storefront need", () => {
    expect(run.exports).toEqual({
      storefrontUrl: "https://dmock.cloudfront.net",
      apiUrl: "https://dmock.cloudfront.net/api",
      apiGatewayUrl: `https://mockapi.execute-api.${REGION}.amazonaws.com/api`,
      paymentWebhookUrl: "https://dmock.cloudfront.net/api/payments/webhook",
      userPoolId: `${REGION}_MockPool`,
      userPoolClientId: "mockclientid",
      tableName: "flash-sale-dev-data-table-physical",
      tableWarmThroughput: {
        writeUnitsPerSecond: 4500,
        readUnitsPerSecond: 12_000,
        expectedPeakPurchasesPerSecond: 500,
      },
      merchandiserPolicyArn: `arn:aws:iam::${ACCOUNT}:policy/flash-sale-dev-data-merchandiser-physical`,
      metricsNamespace: "flash-sale-dev",
      resultsBucket: "flash-sale-dev-loadgen-results-physical",
      loadGeneratorInstanceIds: [],
      dashboardUrl: `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/flash-sale-dev-monitoring`,
      alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:flash-sale-dev-monitoring-alarms-physical`,
      holdSweepFunctionName: "flash-sale-dev-hold-sweep-fn-physical",
      region: REGION,
    });
  });
});

describe("data", () => {
  test("one on-demand table keyed pk/sk with PITR, encryption and warm throughput from the default peak", () => {
    const table = run.one("aws:dynamodb/table:Table").inputs;
    const plan = planCapacity(500);
    expect(table).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      attributes: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      warmThroughput: {
        writeUnitsPerSecond: plan.tableWriteUnitsPerSecond,
        readUnitsPerSecond: plan.tableReadUnitsPerSecond,
      },
    });
  });

  test("the dev stack can be destroyed: no deletion protection on the table or the user pool", () => {
    expect(run.one("aws:dynamodb/table:Table").inputs.deletionProtectionEnabled).toBe(false);
    expect(run.one("aws:cognito/userPool:UserPool").inputs.deletionProtection).toBe("INACTIVE");
  });
});

describe("auth", () => {
  test("the user pool signs shoppers up by email, verifies it, and asks for a sane password", () => {
    expect(run.one("aws:cognito/userPool:UserPool").inputs).toMatchObject({
      usernameAttributes: ["email"],
      autoVerifiedAttributes: ["email"],
      passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true },
      accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
    });
  });

  test("the storefront client is public (no secret), allows SRP and password sign-in, and has bounded token lifetimes", () => {
    const client = run.one("aws:cognito/userPoolClient:UserPoolClient").inputs;
    expect(client.generateSecret).toBe(false);
    expect([...client.explicitAuthFlows].sort()).toEqual([
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
    ]);
    expect(client).toMatchObject({
      accessTokenValidity: 1,
      idTokenValidity: 1,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
      preventUserExistenceErrors: "ENABLED",
    });
  });
});

describe("API", () => {
  const routeResources = () => run.ofType("aws:apigatewayv2/route:Route");

  test("there is one API route per row of the route table, and no other", () => {
    expect(
      routeResources()
        .map((route) => route.inputs.routeKey)
        .sort(),
    ).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  test("every authenticated route is behind the JWT authorizer; only the public rows (the feed, the catalog, the provider's webhook) are not", () => {
    const authorizer = run.one("aws:apigatewayv2/authorizer:Authorizer");
    const publicKeys = routes.filter((route) => !route.auth).map((route) => `${route.method} ${route.path}`);
    expect(publicKeys).toEqual(["GET /availability", "GET /catalog", "POST /payments/webhook"]);
    for (const route of routeResources()) {
      const isPublic = publicKeys.includes(route.inputs.routeKey);
      expect({
        route: route.inputs.routeKey,
        type: route.inputs.authorizationType,
        authorizer: route.inputs.authorizerId,
      }).toEqual({
        route: route.inputs.routeKey,
        type: isPublic ? "NONE" : "JWT",
        authorizer: isPublic ? undefined : `${authorizer.name}-id`,
      });
    }
  });

  test("authenticated routes require the scope only Cognito access tokens carry, so ID tokens are refused", () => {
    const authenticated = routeResources().filter((route) => route.inputs.authorizationType === "JWT");
    expect(authenticated.length).toBeGreaterThan(0);
    for (const route of authenticated) {
      expect({ route: route.inputs.routeKey, scopes: route.inputs.authorizationScopes }).toEqual({
        route: route.inputs.routeKey,
        scopes: ["aws.cognito.signin.user.admin"],
      });
    }
  });

  test("the public feed's function may only read the catalog, like the listing's", () => {
    const policy = parsePolicy(
      byName(run.ofType("aws:iam/rolePolicy:RolePolicy"), "-api-availability-policy").inputs.policy,
    );
    expect(policy.Statement[0]!.Action).toEqual(["dynamodb:Query", "dynamodb:BatchGetItem"]);
  });

  test("the authorizer trusts only this user pool's tokens for the storefront client", () => {
    expect(run.one("aws:apigatewayv2/authorizer:Authorizer").inputs).toMatchObject({
      authorizerType: "JWT",
      identitySources: ["$request.header.Authorization"],
      jwtConfiguration: {
        issuer: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_MockPool`,
        audiences: ["mockclientid"],
      },
    });
  });

  test("the stage is named api (CloudFront forwards /api/* unchanged), deploys itself, throttles and logs access", () => {
    const stage = run.one("aws:apigatewayv2/stage:Stage").inputs;
    const accessLogs = byName(run.ofType("aws:cloudwatch/logGroup:LogGroup"), "-api-access-logs");
    expect(stage).toMatchObject({
      name: "api",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: 2000, throttlingBurstLimit: 1000 },
    });
    expect(stage.accessLogSettings.destinationArn).toBe(accessLogs.state.arn);
    expect(JSON.parse(stage.accessLogSettings.format)).toMatchObject({
      requestId: "$context.requestId",
      status: "$context.status",
      routeKey: "$context.routeKey",
    });
  });

  test("each route invokes its own function through a payload v2 proxy integration", () => {
    const functions = run.ofType("aws:lambda/function:Function");
    for (const route of routes) {
      const fn = byName(functions, `-api-${route.handler}-fn`);
      const integration = byName(
        run.ofType("aws:apigatewayv2/integration:Integration"),
        `-api-${route.handler}-integration`,
      );
      const apiRoute = routeResources().find((r) => r.inputs.routeKey === `${route.method} ${route.path}`)!;
      expect(integration.inputs).toMatchObject({
        integrationType: "AWS_PROXY",
        payloadFormatVersion: "2.0",
        integrationUri: fn.state.invokeArn,
      });
      expect(apiRoute.inputs.target).toBe(`integrations/${integration.name}-id`);
    }
  });

  test("functions run the configured runtime on arm64 with the table name and default memory/timeout", () => {
    const functions = apiFunctions();
    expect(functions).toHaveLength(routes.length);
    for (const fn of functions) {
      expect(unwrapSecrets(fn.inputs)).toMatchObject({
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        memorySize: 1024,
        timeout: 10,
        environment: { variables: { TABLE_NAME: "flash-sale-dev-data-table-physical" } },
      });
    }
  });

  test("each function logs to its own log group with the configured retention", () => {
    for (const route of routes) {
      const fn = byName(run.ofType("aws:lambda/function:Function"), `-api-${route.handler}-fn`);
      const logs = byName(run.ofType("aws:cloudwatch/logGroup:LogGroup"), `-api-${route.handler}-logs`);
      expect(logs.inputs.retentionInDays).toBe(14);
      expect(fn.inputs.loggingConfig.logGroup).toBe(logs.state.name);
    }
  });

  test("no function reserves concurrency by default (a new account's quota may be too low); no provisioned concurrency", () => {
    const reserved = Object.fromEntries(
      run
        .ofType("aws:lambda/function:Function")
        .map((fn) => [fn.name.replace(/^flash-sale-dev-(api-)?|-fn$/g, ""), fn.inputs.reservedConcurrentExecutions]),
    );
    expect(reserved).toEqual({
      availability: -1,
      catalog: -1,
      "list-products": -1,
      "get-product": -1,
      purchase: -1,
      "list-orders": -1,
      "get-order": -1,
      "cancel-order": -1,
      "hold-sweep": -1,
      admission: -1,
      "payment-webhook": -1,
    });
    expect(run.ofType("aws:lambda/alias:Alias")).toHaveLength(0);
    expect(run.ofType("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig")).toHaveLength(0);
  });

  test("each function's role may use this table (actions: least-privilege.test.ts) and write its own logs only", () => {
    const tableArn = run.one("aws:dynamodb/table:Table").state.arn;
    for (const route of routes) {
      const policy = byName(run.ofType("aws:iam/rolePolicy:RolePolicy"), `-api-${route.handler}-policy`);
      const role = byName(run.ofType("aws:iam/role:Role"), `-api-${route.handler}-role`);
      const logs = byName(run.ofType("aws:cloudwatch/logGroup:LogGroup"), `-api-${route.handler}-logs`);
      expect(policy.inputs.role).toBe(role.state.name);
      const [table, ownLogs] = parsePolicy(policy.inputs.policy).Statement;
      expect(table).toMatchObject({ Sid: "Table", Effect: "Allow", Resource: [tableArn] });
      expect(ownLogs).toEqual({
        Sid: "OwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logs.state.arn}:log-stream:*`,
      });
      expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).toEqual([
        { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } },
      ]);
    }
  });

  test("API Gateway may invoke each function only for its own route on the api stage", () => {
    for (const route of routes) {
      const permission = byName(run.ofType("aws:lambda/permission:Permission"), `-api-${route.handler}-invoke`).inputs;
      expect(permission).toMatchObject({ action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com" });
      expect(permission.sourceArn).toBe(
        `arn:aws:execute-api:${REGION}:${ACCOUNT}:mockapi/api/${route.method}${route.path.replace(/\{[^}]+\}/g, "*")}`,
      );
    }
  });

  test("each function's code is an archive holding only its esbuild bundle as index.js and that bundle's source map", async () => {
    for (const fn of run.ofType("aws:lambda/function:Function")) {
      const isApi = fn.name.includes("-api-");
      const assets = await fn.inputs.code.assets;
      expect(Object.keys(assets).sort()).toEqual(["index.js", "index.js.map"]);
      const text: string = await assets["index.js"].text;
      expect(text.length).toBeGreaterThan(10_000);
      expect(missingRequires(text)).toEqual([]);
      expect(text.trimEnd().endsWith("//# sourceMappingURL=index.js.map")).toBe(true);
      const map = JSON.parse(await assets["index.js.map"].text);
      const own = isApi ? "services/src/http/api-handler.ts" : "services/src/functions/hold-sweep.ts";
      expect(map.sources.some((source: string) => source.endsWith(own))).toBe(true);
    }
  });
});

describe("storefront", () => {
  const bucketOf = (suffix: string) => byName(run.ofType("aws:s3/bucket:Bucket"), suffix);

  test("the storefront bucket blocks all public access and owns its objects", () => {
    const bucket = bucketOf("-web-bucket");
    const block = byName(
      run.ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
      "-web-public-access-block",
    ).inputs;
    expect(block).toEqual(
      expect.objectContaining({
        bucket: bucket.state.bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
    );
    expect(
      byName(run.ofType("aws:s3/bucketOwnershipControls:BucketOwnershipControls"), "-web-ownership").inputs.rule,
    ).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(bucket.inputs.acl).toBeUndefined();
    expect(bucket.inputs.website).toBeUndefined();
  });

  test("only this CloudFront distribution can read the bucket", () => {
    const bucket = bucketOf("-web-bucket");
    const distribution = run.one("aws:cloudfront/distribution:Distribution");
    const policy = run.one("aws:s3/bucketPolicy:BucketPolicy").inputs;
    expect(policy.bucket).toBe(bucket.state.bucket);
    expect(parsePolicy(policy.policy).Statement).toEqual([
      {
        Sid: "CloudFrontReadsThisDistributionOnly",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `${bucket.state.arn}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": distribution.state.arn } },
      },
    ]);
  });

  test("CloudFront signs every S3 request with Origin Access Control", () => {
    const oac = run.one("aws:cloudfront/originAccessControl:OriginAccessControl");
    expect(oac.inputs).toMatchObject({
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    const web = unwrapSecrets(run.one("aws:cloudfront/distribution:Distribution").inputs.origins).find(
      (origin: any) => origin.originId === "web",
    );
    expect(web).toMatchObject({
      domainName: `${bucketOf("-web-bucket").state.bucket}.s3.${REGION}.amazonaws.com`,
      originAccessControlId: `${oac.name}-id`,
    });
  });

  test("viewers are redirected to HTTPS; the API path accepts HTTPS only", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    expect(distribution.defaultCacheBehavior.viewerProtocolPolicy).toBe("redirect-to-https");
    expect(distribution.orderedCacheBehaviors.map((b: any) => b.viewerProtocolPolicy)).toEqual([
      "https-only",
      "https-only",
      "https-only",
    ]);
    expect(distribution.defaultRootObject).toBe("index.html");
  });

  test("/api/* goes to the API stage uncached, with every method and every viewer header except Host", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    const api = distribution.orderedCacheBehaviors.find((b: any) => b.pathPattern === "/api/*");
    expect(api).toMatchObject({
      pathPattern: "/api/*",
      targetOriginId: "api",
      cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      originRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    });
    expect([...api.allowedMethods].sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
    const origin = unwrapSecrets(distribution.origins).find((o: any) => o.originId === "api");
    expect(origin).toMatchObject({
      domainName: `mockapi.execute-api.${REGION}.amazonaws.com`,
      customOriginConfig: { originProtocolPolicy: "https-only" },
    });
    expect(origin.originPath ?? "").toBe("");
    expect(origin.originShield).toBeUndefined();
  });

  test("/api/availability is cached first, by a policy that keeps the API's max-age (at most 1 s) with nothing in the key", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    const policy = run.one("aws:cloudfront/cachePolicy:CachePolicy");
    const [first, , third] = distribution.orderedCacheBehaviors;
    expect(first).toMatchObject({
      pathPattern: "/api/availability",
      targetOriginId: "api-shielded",
      cachePolicyId: `${policy.name}-id`,
      compress: true,
    });
    expect([...first.allowedMethods].sort()).toEqual(["GET", "HEAD"]);
    expect(first.originRequestPolicyId).toBeUndefined(); // no viewer header (Authorization, cookies) reaches the origin
    expect(third.pathPattern).toBe("/api/*");
    expect(policy.inputs).toMatchObject({
      minTtl: 0,
      defaultTtl: 0,
      maxTtl: 1,
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: { headerBehavior: "none" },
        queryStringsConfig: { queryStringBehavior: "none" },
      },
    });
  });

  test("/api/catalog (the drop for visitors) is cached like the feed: same policy, shielded origin, ahead of /api/*", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    const policy = run.one("aws:cloudfront/cachePolicy:CachePolicy");
    const patterns = distribution.orderedCacheBehaviors.map((b: any) => b.pathPattern);
    const catalog = distribution.orderedCacheBehaviors.find((b: any) => b.pathPattern === "/api/catalog");

    expect(catalog).toMatchObject({
      targetOriginId: "api-shielded",
      cachePolicyId: `${policy.name}-id`,
      compress: true,
    });
    expect([...catalog.allowedMethods].sort()).toEqual(["GET", "HEAD"]);
    expect(catalog.originRequestPolicyId).toBeUndefined(); // no Authorization or cookie reaches it, none keys it
    expect(patterns.indexOf("/api/catalog")).toBeLessThan(patterns.indexOf("/api/*"));
  });

  test("the cached public path reaches the same API through an Origin Shield in the stack's region", () => {
    const origins = unwrapSecrets(run.one("aws:cloudfront/distribution:Distribution").inputs.origins);
    const shielded = origins.find((o: any) => o.originId === "api-shielded");
    const api = origins.find((o: any) => o.originId === "api");
    expect(shielded).toMatchObject({
      domainName: api.domainName,
      customOriginConfig: api.customOriginConfig,
      originShield: { enabled: true, originShieldRegion: REGION },
    });
  });

  test("errors are never cached: a one-second 503 from /api/availability is not served for CloudFront's default 10 s", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    const minTtl = Object.fromEntries(
      (distribution.customErrorResponses ?? []).map((r: any) => [r.errorCode, r.errorCachingMinTtl]),
    );
    // 5xx from the API (the availability feed is a cached path), 403/404 from S3 (a chunk a moment before upload).
    for (const code of [500, 502, 503, 504, 403, 404]) expect([code, minTtl[code]]).toEqual([code, 0]);
  });

  test("SPA fallback is a viewer-request function on the S3 behaviour only, not distribution-wide error pages", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    const fn = run.one("aws:cloudfront/function:Function");
    // Error responses only set how long errors are kept: none swaps in a page or a status (API JSON stays intact).
    for (const response of distribution.customErrorResponses ?? []) {
      expect(response.responsePagePath ?? "").toBe("");
      expect(response.responseCode ?? 0).toBe(0);
    }
    expect(distribution.defaultCacheBehavior.functionAssociations).toEqual([
      { eventType: "viewer-request", functionArn: fn.state.arn },
    ]);
    expect(distribution.orderedCacheBehaviors[0].functionAssociations ?? []).toEqual([]);
    expect(fn.inputs).toMatchObject({ runtime: "cloudfront-js-2.0", publish: true });
  });

  test("config.json is generated from the stack's outputs and never cached", () => {
    const config = byName(run.ofType("aws:s3/bucketObjectv2:BucketObjectv2"), "-web-runtime-config").inputs;
    expect(config).toMatchObject({
      key: "config.json",
      contentType: "application/json",
      cacheControl: "no-cache",
      bucket: bucketOf("-web-bucket").state.bucket,
    });
    expect(JSON.parse(config.content)).toEqual({
      apiUrl: "https://dmock.cloudfront.net/api",
      region: REGION,
      userPoolId: `${REGION}_MockPool`,
      userPoolClientId: "mockclientid",
    });
  });

  test("with no web build the stack still deploys (config.json only) and says why", () => {
    const objects = run.ofType("aws:s3/bucketObjectv2:BucketObjectv2").filter((o) => o.name.includes("-web-"));
    expect(objects.map((o) => o.inputs.key)).toEqual(["config.json"]);
    expect(run.warnings.some((w) => w.includes("does not exist: deploying the storefront without site files"))).toBe(
      true,
    );
  });
});

describe("load generators", () => {
  test("the fleet is empty by default, but its results bucket and role exist (networking: operations.test.ts)", () => {
    expect(run.ofType("aws:ec2/instance:Instance")).toHaveLength(0);
    expect(byName(run.ofType("aws:s3/bucket:Bucket"), "-loadgen-results")).toBeDefined();
    expect(byName(run.ofType("aws:iam/role:Role"), "-loadgen-role")).toBeDefined();
  });

  test("the results bucket is private", () => {
    const block = byName(
      run.ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
      "-loadgen-results-public-access-block",
    ).inputs;
    expect(block).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });

  test("the agents' role reads agent/* and writes results/* of the results bucket only, plus SSM core", () => {
    const bucket = byName(run.ofType("aws:s3/bucket:Bucket"), "-loadgen-results").state;
    const policy = parsePolicy(
      byName(run.ofType("aws:iam/rolePolicy:RolePolicy"), "-loadgen-bucket-access").inputs.policy,
    );
    expect(policy.Statement).toEqual([
      { Sid: "ReadAgentAndScenario", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucket.arn}/agent/*` },
      { Sid: "WriteResults", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucket.arn}/results/*` },
    ]);
    expect(run.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn).toBe(
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
  });

  test("the perf agent is bundled and uploaded to agent/agent.js", async () => {
    const agent = byName(run.ofType("aws:s3/bucketObjectv2:BucketObjectv2"), "-loadgen-agent-bundle").inputs;
    expect(agent.key).toBe("agent/agent.js");
    const text: string = await agent.source.text;
    expect(text).toContain("--scenario");
    expect(missingRequires(text)).toEqual([]);
  });
});

describe("monitoring", () => {
  test("the dashboard charts API traffic, every function, and the table's capacity and throttling", () => {
    const body = JSON.parse(run.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
    const metrics = body.widgets.flatMap((w: any) =>
      w.properties.metrics.map((m: any[]) => m.filter((part) => typeof part === "string").join(" ")),
    );
    for (const metric of ["Count", "Latency", "4xx", "5xx"])
      expect(metrics).toContain(`AWS/ApiGateway ${metric} ApiId mockapi Stage api`);
    for (const fn of run.ofType("aws:lambda/function:Function")) {
      for (const metric of ["Duration", "Errors", "Throttles", "ConcurrentExecutions"])
        expect(metrics).toContain(`AWS/Lambda ${metric} FunctionName ${fn.state.name}`);
    }
    const table = run.one("aws:dynamodb/table:Table").state.name;
    for (const metric of ["ConsumedWriteCapacityUnits", "ConsumedReadCapacityUnits", "WriteThrottleEvents"])
      expect(metrics).toContain(`AWS/DynamoDB ${metric} TableName ${table}`);
  });

  test("alarms watch real failures, latency, TRY_AGAIN, authorizer refusals, throttling, payments and the sweep; the topic has no subscriber without alarmEmail", () => {
    const alarms = run
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .map((a) => a.name.replace("flash-sale-dev-monitoring-", ""));
    expect(alarms.sort()).toEqual([
      "api-server-errors",
      "authorizer-failures",
      "engine-faults",
      "hold-sweep-not-running",
      "lambda-errors",
      "payment-provider-failures",
      "payment-webhooks-rejected",
      "purchase-latency-p99",
      "purchase-throttles",
      "purchase-transactions-throttled",
      "purchase-try-again",
      "table-write-throttles",
    ]);
    const purchase = byName(run.ofType("aws:lambda/function:Function"), "-api-purchase-fn").state.name;
    expect(byName(run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"), "-purchase-throttles").inputs).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Throttles",
      dimensions: { FunctionName: purchase },
    });
    expect(run.one("aws:sns/topic:Topic")).toBeDefined();
    expect(run.ofType("aws:sns/topicSubscription:TopicSubscription")).toHaveLength(0);
  });
});

describe("ops README", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

  test("the outputs table lists exactly the stack's exports", () => {
    const section = readme.slice(readme.indexOf("## Outputs"), readme.indexOf("## Loading stock"));
    expect(section.length).toBeGreaterThan(100);
    const documented = section
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .flatMap((line) => [...line.split(" | ")[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
    expect(documented.sort()).toEqual(Object.keys(run.exports).sort());
  });

  test("it covers deploy, stock loading, a fleet load test and teardown, and says deployment was not exercised on AWS in CI", () => {
    for (const text of [
      "npx pulumi up",
      "npx pulumi login --local",
      "npm run stock -- load catalog.json --table",
      "npm run perf -- fleet --bucket <resultsBucket>",
      "npm run perf -- collect",
      "npx pulumi config set --path loadGenerators.count 10",
      "npx pulumi destroy",
      "**Deployment itself has not been exercised on AWS from this repository's CI.**",
    ]) {
      expect(readme).toContain(text);
    }
  });
});
