/**
 * The hold expiry sweep in the Pulumi program, under mocks: built like the route functions, run every minute by
 * a scheduled rule that alone may invoke it, no secrets even when the stack has the payment ones, and exactly its
 * own grant. (Its grant against the recorded actions: least-privilege.test.ts; its alarms: operations.test.ts.)
 */
import { HOLD_SWEEP } from "@flash-sale/services/routes";
import type { Registered } from "./support/mocks";
import { expectBuiltLikeTheRouteFunctions, isSecretInput, parsePolicy, runProgram, type Run } from "./support/program";

let run: Run<Record<string, unknown>>;
beforeAll(async () => {
  run = await runProgram({
    "flash-sale:stripeSecretKey": "sk_test_51Example0000000000000000",
    "flash-sale:stripeWebhookSecret": "whsec_Example0000000000000000000000",
  });
});

const named = (type: string, suffix: string): Registered => {
  const found = run.ofType(type).find((resource) => resource.name.endsWith(suffix));
  if (!found) throw new Error(`no ${type} named *${suffix}`);
  return found;
};
const sweep = () => named("aws:lambda/function:Function", "-hold-sweep-fn");

test("one function, bundled from services' hold-sweep entry like the route functions: same runtime, arm64, memory, log retention; a 50 s timeout", async () => {
  const { sources } = await expectBuiltLikeTheRouteFunctions(run, "hold-sweep", {
    description: "The expiry sweep of held orders (services/src/functions/hold-sweep.ts)",
    timeout: 50,
  });
  expect(sources.some((source) => source.endsWith("services/src/functions/hold-sweep.ts"))).toBe(true);
});

test("an EventBridge rule runs it every minute, and only that rule may invoke it", () => {
  const rule = run.one("aws:cloudwatch/eventRule:EventRule");
  expect(rule.name).toBe("flash-sale-dev-hold-sweep-schedule");
  expect(rule.inputs).toMatchObject({ scheduleExpression: "rate(1 minute)" });
  expect(rule.inputs.eventPattern).toBeUndefined();
  expect(run.one("aws:cloudwatch/eventTarget:EventTarget").inputs).toMatchObject({
    rule: rule.state.name,
    arn: sweep().state.arn,
  });
  expect(named("aws:lambda/permission:Permission", "-hold-sweep-invoke").inputs).toMatchObject({
    action: "lambda:InvokeFunction",
    function: sweep().state.name,
    principal: "events.amazonaws.com",
    sourceArn: rule.state.arn,
  });
  // Nothing but API Gateway and this rule may invoke any function.
  expect(
    run
      .ofType("aws:lambda/permission:Permission")
      .map((permission) => permission.inputs.principal)
      .filter((principal) => principal !== "apigateway.amazonaws.com"),
  ).toEqual(["events.amazonaws.com"]);
});

test("its role may do exactly HOLD_SWEEP's DynamoDB actions on this table and write its own logs; nothing else", () => {
  const policy = named("aws:iam/rolePolicy:RolePolicy", "-hold-sweep-policy");
  const logs = named("aws:cloudwatch/logGroup:LogGroup", "-hold-sweep-logs");
  expect(policy.inputs.role).toBe(named("aws:iam/role:Role", "-hold-sweep-role").state.name);
  expect(parsePolicy(policy.inputs.policy).Statement).toEqual([
    {
      Sid: "Table",
      Effect: "Allow",
      Action: [...HOLD_SWEEP.dynamodbActions],
      Resource: [run.one("aws:dynamodb/table:Table").state.arn],
    },
    {
      Sid: "OwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logs.state.arn}:log-stream:*`,
    },
  ]);
});

test("no secret in its environment, though the stack has the payment secrets: the table, source maps and the metrics namespace only", () => {
  expect(isSecretInput(sweep().inputs.environment)).toBe(false);
  expect(sweep().inputs.environment.variables).toEqual({
    TABLE_NAME: run.one("aws:dynamodb/table:Table").state.name,
    NODE_OPTIONS: "--enable-source-maps",
    POWERTOOLS_METRICS_NAMESPACE: "flash-sale-dev",
    POWERTOOLS_SERVICE_NAME: "flash-sale",
  });
});
