/**
 * Least privilege, proven against the real calls: services/test/iam-actions.test.ts runs every handler and the
 * merchandiser CLI against DynamoDB Local and records the IAM actions of each request sent
 * (services/test/fixtures/dynamodb-actions.json); here each deployed grant must equal that record.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { routes } from "@flash-sale/services/routes";
import { wildcardProblems } from "./support/wildcards";
import { parsePolicy, runProgram, type Run } from "./support/program";

const recorded = JSON.parse(
  readFileSync(
    path.join(
      path.dirname(require.resolve("@flash-sale/services/package.json")),
      "test/fixtures/dynamodb-actions.json",
    ),
    "utf8",
  ),
) as {
  routes: Record<string, string[]>;
  stockCli: string[];
};

let run: Run<Record<string, unknown>>;
beforeAll(async () => {
  run = await runProgram(
    {
      "flash-sale:loadGenerators": '{"count":1}',
      "flash-sale:webAcl": "true",
      "flash-sale:alarmEmail": "ops@example.com",
      "flash-sale:mailFrom": "orders@example.com",
    },
    "prod",
  );
});

const named = (type: string, suffix: string) => {
  const found = run.ofType(type).find((resource) => resource.name.endsWith(suffix));
  if (!found) throw new Error(`no ${type} named *${suffix}`);
  return found;
};
const tableStatementOf = (policyText: unknown) =>
  parsePolicy(policyText).Statement.find((statement) => String(statement.Action).includes("dynamodb:"))!;

test("the recording covers every route of the route table", () => {
  expect(Object.keys(recorded.routes).sort()).toEqual(routes.map((route) => route.handler).sort());
});

test.each(routes.map((route) => [route.handler]))(
  "the %s function may do exactly the DynamoDB actions its handler was recorded sending, on this table only",
  (handler) => {
    const statement = tableStatementOf(named("aws:iam/rolePolicy:RolePolicy", `-api-${handler}-policy`).inputs.policy);

    expect([...statement.Action].sort()).toEqual(recorded.routes[handler]);
    expect(statement.Resource).toEqual([run.one("aws:dynamodb/table:Table").state.arn]);
  },
);

test("the merchandiser policy grants exactly what `npm run stock` was recorded sending, on this table only, and its ARN is an output", () => {
  const policy = named("aws:iam/policy:Policy", "-data-merchandiser");
  const statement = tableStatementOf(policy.inputs.policy);

  expect([...statement.Action].sort()).toEqual(recorded.stockCli);
  expect(statement.Resource).toBe(run.one("aws:dynamodb/table:Table").state.arn);
  expect(run.exports["merchandiserPolicyArn"]).toBe(policy.state.arn);
});

test("the merchandiser policy's one other grant is reading metrics for `stock watch --metrics`, which IAM takes only on *", () => {
  const statements = parsePolicy(named("aws:iam/policy:Policy", "-data-merchandiser").inputs.policy).Statement;

  expect(statements.filter((statement) => !String(statement.Action).includes("dynamodb:"))).toEqual([
    { Sid: "SaleMetrics", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
  ]);
});

describe("wildcards", () => {
  /** Every policy document the program writes: trust policies, inline and managed policies, bucket policies. */
  const documents = () => [
    ...run.ofType("aws:iam/role:Role").map((r) => ({ owner: r.name, text: r.inputs.assumeRolePolicy })),
    ...run.ofType("aws:iam/rolePolicy:RolePolicy").map((r) => ({ owner: r.name, text: r.inputs.policy })),
    ...run.ofType("aws:iam/policy:Policy").map((r) => ({ owner: r.name, text: r.inputs.policy })),
    ...run.ofType("aws:s3/bucketPolicy:BucketPolicy").map((r) => ({ owner: r.name, text: r.inputs.policy })),
  ];

  test("no policy the program writes has a wildcard action, an any-resource wildcard or an anyone principal", () => {
    const problems = documents().flatMap(({ owner, text }) =>
      parsePolicy(text).Statement.flatMap((statement) =>
        wildcardProblems(statement).map((problem) => `${owner}: ${problem}`),
      ),
    );
    expect(problems).toEqual([]);
    // Every kind of document is in the walk (a fleet, a bucket policy, the managed policy and the stream consumer's
    // grants on the stream, the SES identities, the user pool and its queue exist in this stack).
    expect(new Set(documents().map(({ owner }) => owner.replace(/^flash-sale-prod-/, "").split("-")[0]))).toEqual(
      new Set(["api", "loadgen", "data", "web", "hold", "order"]),
    );
  });

  test.each([
    [
      { Effect: "Allow", Action: "dynamodb:*", Resource: "arn:aws:dynamodb:eu-west-1:123456789012:table/t" },
      "wildcard action dynamodb:*",
    ],
    [
      { Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:eu-west-1:123456789012:table/*" },
      "wildcard resource arn:aws:dynamodb:eu-west-1:123456789012:table/*",
    ],
    [
      { Effect: "Allow", Action: "dynamodb:Query", Resource: "arn:aws:dynamodb:*:*:table/t/index/*" },
      "wildcard resource arn:aws:dynamodb:*:*:table/t/index/*",
    ],
    [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/*" }, "wildcard resource arn:aws:s3:::*/*"],
    [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, "wildcard resource *"],
    [{ Effect: "Allow", Action: ["cloudwatch:GetMetricData", "s3:GetObject"], Resource: "*" }, "wildcard resource *"],
    [
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Principal: { AWS: "*" } },
      'principal {"AWS": "*"}',
    ],
    [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Principal: "*" }, 'principal "*"'],
    [{ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" }, "NotAction"],
  ])("the scan catches %j", (statement, problem) => {
    expect(wildcardProblems(statement)).toContain(problem);
  });

  test.each([
    "arn:aws:s3:::flash-sale-dev-web-bucket-1/*",
    "arn:aws:s3:::flash-sale-dev-results-1/agent/*",
    "arn:aws:dynamodb:eu-west-1:123456789012:table/shop/index/*",
    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:log-stream:*",
  ])("the scan allows a wildcard inside one named resource: %s", (resource) => {
    expect(wildcardProblems({ Effect: "Allow", Action: "s3:GetObject", Resource: resource })).toEqual([]);
  });
});
