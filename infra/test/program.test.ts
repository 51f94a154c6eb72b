/**
 * The whole program with an empty stack config (stack "dev"), under mocks: what a first `pulumi up` would create.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { routes } from "../../services/src/routes";
import { planCapacity } from "../../services/src/domain/capacity";
import { missingRequires } from "./support/bundle-check";
import { ACCOUNT, REGION, type Registered } from "./support/mocks";
import { parsePolicy, runProgram, unwrapSecrets, type Run } from "./support/program";

let run: Run<Record<string, unknown>>;
beforeAll(async () => {
  run = await runProgram();
});

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
      userPoolId: `${REGION}_MockPool`,
      userPoolClientId: "mockclientid",
      tableName: "flash-sale-dev-data-table-physical",
      resultsBucket: "flash-sale-dev-loadgen-results-physical",
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
      warmThroughput: { writeUnitsPerSecond: plan.tableWriteUnitsPerSecond, readUnitsPerSecond: plan.tableReadUnitsPerSecond },
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
    expect([...client.explicitAuthFlows].sort()).toEqual(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]);
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
    expect(routeResources().map((route) => route.inputs.routeKey).sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  test("no route bypasses the JWT authorizer", () => {
    const authorizer = run.one("aws:apigatewayv2/authorizer:Authorizer");
    expect(routes.every((route) => route.auth)).toBe(true);
    for (const route of routeResources()) {
      expect({ route: route.inputs.routeKey, type: route.inputs.authorizationType, authorizer: route.inputs.authorizerId }).toEqual({
        route: route.inputs.routeKey,
        type: "JWT",
        authorizer: `${authorizer.name}-id`,
      });
    }
  });

  test("authenticated routes require the scope only Cognito access tokens carry, so ID tokens are refused", () => {
    const authenticated = routeResources().filter((route) => route.inputs.authorizationType === "JWT");
    expect(authenticated.length).toBeGreaterThan(0);
    for (const route of authenticated) {
      expect({ route: route.inputs.routeKey, scopes: route.inputs.authorizationScopes }).toEqual({ route: route.inputs.routeKey, scopes: ["aws.cognito.signin.user.admin"] });
    }
  });

  test("the authorizer trusts only this user pool's tokens for the storefront client", () => {
    expect(run.one("aws:apigatewayv2/authorizer:Authorizer").inputs).toMatchObject({
      authorizerType: "JWT",
      identitySources: ["$request.header.Authorization"],
      jwtConfiguration: { issuer: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_MockPool`, audiences: ["mockclientid"] },
    });
  });

  test("the stage is named api (CloudFront forwards /api/* unchanged), deploys itself, throttles and logs access", () => {
    const stage = run.one("aws:apigatewayv2/stage:Stage").inputs;
    const accessLogs = byName(run.ofType("aws:cloudwatch/logGroup:LogGroup"), "-api-access-logs");
    expect(stage).toMatchObject({ name: "api", autoDeploy: true, defaultRouteSettings: { throttlingRateLimit: 2000, throttlingBurstLimit: 1000 } });
    expect(stage.accessLogSettings.destinationArn).toBe(accessLogs.state.arn);
    expect(JSON.parse(stage.accessLogSettings.format)).toMatchObject({ requestId: "$context.requestId", status: "$context.status", routeKey: "$context.routeKey" });
  });

  test("each route invokes its own function through a payload v2 proxy integration", () => {
    const functions = run.ofType("aws:lambda/function:Function");
    for (const route of routes) {
      const fn = byName(functions, `-api-${route.handler}-fn`);
      const integration = byName(run.ofType("aws:apigatewayv2/integration:Integration"), `-api-${route.handler}-integration`);
      const apiRoute = routeResources().find((r) => r.inputs.routeKey === `${route.method} ${route.path}`)!;
      expect(integration.inputs).toMatchObject({ integrationType: "AWS_PROXY", payloadFormatVersion: "2.0", integrationUri: fn.state.invokeArn });
      expect(apiRoute.inputs.target).toBe(`integrations/${integration.name}-id`);
    }
  });

  test("functions run the configured runtime on arm64 with the table name and default memory/timeout", () => {
    const functions = run.ofType("aws:lambda/function:Function");
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

  test("only the purchase function has reserved concurrency (200 by default); no provisioned concurrency by default", () => {
    const reserved = Object.fromEntries(run.ofType("aws:lambda/function:Function").map((fn) => [fn.name.replace(/^flash-sale-dev-api-|-fn$/g, ""), fn.inputs.reservedConcurrentExecutions]));
    expect(reserved).toEqual({ listProducts: -1, getProduct: -1, purchase: 200, listOrders: -1, getOrder: -1, admission: -1 });
    expect(run.ofType("aws:lambda/alias:Alias")).toHaveLength(0);
    expect(run.ofType("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig")).toHaveLength(0);
  });

  test("each function's role may do exactly its route's DynamoDB actions on this table, and write its own logs", () => {
    const tableArn = run.one("aws:dynamodb/table:Table").state.arn;
    for (const route of routes) {
      const policy = parsePolicy(byName(run.ofType("aws:iam/rolePolicy:RolePolicy"), `-api-${route.handler}-policy`).inputs.policy);
      const role = byName(run.ofType("aws:iam/role:Role"), `-api-${route.handler}-role`);
      const logs = byName(run.ofType("aws:cloudwatch/logGroup:LogGroup"), `-api-${route.handler}-logs`);
      expect(byName(run.ofType("aws:iam/rolePolicy:RolePolicy"), `-api-${route.handler}-policy`).inputs.role).toBe(role.state.name);
      expect(policy.Statement).toEqual([
        { Sid: "Table", Effect: "Allow", Action: [...route.dynamodbActions], Resource: [tableArn] },
        { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logs.state.arn}:log-stream:*` },
      ]);
      expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).toEqual([{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }]);
    }
  });

  test("API Gateway may invoke each function only for its own route on the api stage", () => {
    for (const route of routes) {
      const permission = byName(run.ofType("aws:lambda/permission:Permission"), `-api-${route.handler}-invoke`).inputs;
      expect(permission).toMatchObject({ action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com" });
      expect(permission.sourceArn).toBe(`arn:aws:execute-api:${REGION}:${ACCOUNT}:mockapi/api/${route.method}${route.path.replace(/\{[^}]+\}/g, "*")}`);
    }
  });

  test("each function's code is an archive holding only its esbuild bundle as index.js", async () => {
    for (const fn of run.ofType("aws:lambda/function:Function")) {
      const assets = await fn.inputs.code.assets;
      expect(Object.keys(assets)).toEqual(["index.js"]);
      const text: string = await assets["index.js"].text;
      expect(text.length).toBeGreaterThan(10_000);
      expect(missingRequires(text)).toEqual([]);
    }
  });
});

describe("IAM", () => {
  /** Every policy document the program writes: role trust policies, inline role policies, bucket policies. */
  function allPolicies(): { owner: string; statements: Record<string, any>[] }[] {
    const documents: { owner: string; text: unknown }[] = [
      ...run.ofType("aws:iam/role:Role").map((r) => ({ owner: r.name, text: r.inputs.assumeRolePolicy })),
      ...run.ofType("aws:iam/rolePolicy:RolePolicy").map((r) => ({ owner: r.name, text: r.inputs.policy })),
      ...run.ofType("aws:s3/bucketPolicy:BucketPolicy").map((r) => ({ owner: r.name, text: r.inputs.policy })),
    ];
    return documents.map(({ owner, text }) => ({ owner, statements: parsePolicy(text).Statement }));
  }
  const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value as string]);

  test("the walk covers every role, inline policy and bucket policy", () => {
    expect(allPolicies().length).toBe(
      run.ofType("aws:iam/role:Role").length + run.ofType("aws:iam/rolePolicy:RolePolicy").length + run.ofType("aws:s3/bucketPolicy:BucketPolicy").length,
    );
    expect(allPolicies().length).toBeGreaterThanOrEqual(2 * routes.length + 2);
  });

  test("no policy grants a * action or a * resource, and wildcards only narrow inside one named resource", () => {
    const allowedSuffixes = [":log-stream:*", "/agent/*", "/results/*", "/index/*", "/*"];
    for (const { owner, statements } of allPolicies()) {
      for (const statement of statements) {
        for (const action of list(statement.Action)) expect({ owner, action, wildcard: action.includes("*") }).toEqual({ owner, action, wildcard: false });
        expect(statement.NotAction).toBeUndefined();
        expect(statement.NotResource).toBeUndefined();
        for (const resource of list(statement.Resource)) {
          const star = resource.indexOf("*");
          const ok = star === -1 || (star === resource.length - 1 && allowedSuffixes.some((suffix) => resource.endsWith(suffix)) && !/^arn:aws:[a-z0-9-]+:[^:]*:[^:]*:\*/.test(resource) && resource !== "arn:aws:s3:::*");
          expect({ owner, resource, ok }).toEqual({ owner, resource, ok: true });
        }
        if (statement.Principal) expect({ owner, principal: statement.Principal }).not.toEqual({ owner, principal: "*" });
      }
    }
  });
});

describe("storefront", () => {
  const bucketOf = (suffix: string) => byName(run.ofType("aws:s3/bucket:Bucket"), suffix);

  test("the storefront bucket blocks all public access and owns its objects", () => {
    const bucket = bucketOf("-web-bucket");
    const block = byName(run.ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"), "-web-public-access-block").inputs;
    expect(block).toEqual(expect.objectContaining({ bucket: bucket.state.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }));
    expect(byName(run.ofType("aws:s3/bucketOwnershipControls:BucketOwnershipControls"), "-web-ownership").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
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
    expect(oac.inputs).toMatchObject({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
    const web = run.one("aws:cloudfront/distribution:Distribution").inputs.origins.find((origin: any) => origin.originId === "web");
    expect(web).toMatchObject({ domainName: `${bucketOf("-web-bucket").state.bucket}.s3.${REGION}.amazonaws.com`, originAccessControlId: `${oac.name}-id` });
  });

  test("viewers are redirected to HTTPS; the API path accepts HTTPS only", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    expect(distribution.defaultCacheBehavior.viewerProtocolPolicy).toBe("redirect-to-https");
    expect(distribution.orderedCacheBehaviors.map((b: any) => b.viewerProtocolPolicy)).toEqual(["https-only"]);
    expect(distribution.defaultRootObject).toBe("index.html");
  });

  test("/api/* goes to the API stage uncached, with every method and every viewer header except Host", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    const [api] = distribution.orderedCacheBehaviors;
    expect(api).toMatchObject({
      pathPattern: "/api/*",
      targetOriginId: "api",
      cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      originRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    });
    expect([...api.allowedMethods].sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
    const origin = distribution.origins.find((o: any) => o.originId === "api");
    expect(origin).toMatchObject({ domainName: `mockapi.execute-api.${REGION}.amazonaws.com`, customOriginConfig: { originProtocolPolicy: "https-only" } });
    expect(origin.originPath ?? "").toBe("");
  });

  test("SPA fallback is a viewer-request function on the S3 behaviour only, not distribution-wide error pages", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
    const fn = run.one("aws:cloudfront/function:Function");
    expect(distribution.customErrorResponses ?? []).toEqual([]);
    expect(distribution.defaultCacheBehavior.functionAssociations).toEqual([{ eventType: "viewer-request", functionArn: fn.state.arn }]);
    expect(distribution.orderedCacheBehaviors[0].functionAssociations ?? []).toEqual([]);
    expect(fn.inputs).toMatchObject({ runtime: "cloudfront-js-2.0", publish: true });
  });

  test("config.json is generated from the stack's outputs and never cached", () => {
    const config = byName(run.ofType("aws:s3/bucketObjectv2:BucketObjectv2"), "-web-runtime-config").inputs;
    expect(config).toMatchObject({ key: "config.json", contentType: "application/json", cacheControl: "no-cache", bucket: bucketOf("-web-bucket").state.bucket });
    expect(JSON.parse(config.content)).toEqual({ apiUrl: "https://dmock.cloudfront.net/api", region: REGION, userPoolId: `${REGION}_MockPool`, userPoolClientId: "mockclientid" });
  });

  test("with no web build the stack still deploys (config.json only) and says why", () => {
    const objects = run.ofType("aws:s3/bucketObjectv2:BucketObjectv2").filter((o) => o.name.includes("-web-"));
    expect(objects.map((o) => o.inputs.key)).toEqual(["config.json"]);
    expect(run.warnings.some((w) => w.includes("does not exist: deploying the storefront without site files"))).toBe(true);
  });
});

describe("load generators", () => {
  test("the fleet is empty by default, but its results bucket, role and security group exist", () => {
    expect(run.ofType("aws:ec2/instance:Instance")).toHaveLength(0);
    expect(run.mocks.calls.filter((call) => call.token === "aws:ssm/getParameter:getParameter")).toHaveLength(0);
    expect(byName(run.ofType("aws:s3/bucket:Bucket"), "-loadgen-results")).toBeDefined();
    expect(byName(run.ofType("aws:iam/role:Role"), "-loadgen-role")).toBeDefined();
  });

  test("the results bucket is private", () => {
    const block = byName(run.ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"), "-loadgen-results-public-access-block").inputs;
    expect(block).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  });

  test("the agents' role reads agent/* and writes results/* of the results bucket only, plus SSM core", () => {
    const bucket = byName(run.ofType("aws:s3/bucket:Bucket"), "-loadgen-results").state;
    const policy = parsePolicy(byName(run.ofType("aws:iam/rolePolicy:RolePolicy"), "-loadgen-bucket-access").inputs.policy);
    expect(policy.Statement).toEqual([
      { Sid: "ReadAgentAndScenario", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucket.arn}/agent/*` },
      { Sid: "WriteResults", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucket.arn}/results/*` },
    ]);
    expect(run.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
  });

  test("the security group has no inbound rules", () => {
    const sg = run.one("aws:ec2/securityGroup:SecurityGroup").inputs;
    expect(sg.ingress ?? []).toEqual([]);
    expect(run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toHaveLength(0);
    expect(run.ofType("aws:ec2/securityGroupRule:SecurityGroupRule")).toHaveLength(0);
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
    const metrics = body.widgets.flatMap((w: any) => w.properties.metrics.map((m: any[]) => m.filter((part) => typeof part === "string").join(" ")));
    for (const metric of ["Count", "Latency", "4xx", "5xx"]) expect(metrics).toContain(`AWS/ApiGateway ${metric} ApiId mockapi Stage api`);
    for (const fn of run.ofType("aws:lambda/function:Function")) {
      for (const metric of ["Duration", "Errors", "Throttles", "ConcurrentExecutions"]) expect(metrics).toContain(`AWS/Lambda ${metric} FunctionName ${fn.state.name}`);
    }
    const table = run.one("aws:dynamodb/table:Table").state.name;
    for (const metric of ["ConsumedWriteCapacityUnits", "ConsumedReadCapacityUnits", "WriteThrottleEvents"]) expect(metrics).toContain(`AWS/DynamoDB ${metric} TableName ${table}`);
  });

  test("alarms watch the API 5xx rate, purchase throttles and DynamoDB throttling", () => {
    const alarms = Object.fromEntries(run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.name.replace("flash-sale-dev-monitoring-", ""), a.inputs]));
    expect(Object.keys(alarms).sort()).toEqual(["api-5xx-rate", "purchase-throttles", "purchase-transactions-throttled", "table-write-throttles"]);
    const rate = alarms["api-5xx-rate"]!;
    expect(rate.threshold).toBe(1);
    expect(rate.metricQueries.find((q: any) => q.returnData).expression).toBe("IF(requests > 0, 100 * errors / requests, 0)");
    expect(rate.metricQueries.map((q: any) => q.metric?.metricName).filter(Boolean).sort()).toEqual(["5xx", "Count"]);
    const purchase = byName(run.ofType("aws:lambda/function:Function"), "-api-purchase-fn").state.name;
    expect(alarms["purchase-throttles"]).toMatchObject({ namespace: "AWS/Lambda", metricName: "Throttles", dimensions: { FunctionName: purchase } });
    expect(alarms["table-write-throttles"]).toMatchObject({ namespace: "AWS/DynamoDB", metricName: "WriteThrottleEvents" });
    expect(alarms["purchase-transactions-throttled"]).toMatchObject({ metricName: "ThrottledRequests", dimensions: { Operation: "TransactWriteItems" } });
    expect(run.ofType("aws:sns/topic:Topic")).toHaveLength(0);
  });
});

describe("ops README", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

  test("the outputs table lists exactly the stack's exports", () => {
    const section = readme.slice(readme.indexOf("## Outputs"), readme.indexOf("## Loading stock"));
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
