/**
 * The payment provider's secrets in the Pulumi program, under mocks: read from config secrets, checked for
 * Stripe's shapes without ever printing them, and reaching exactly the functions whose route calls the provider.
 */
import { HOLD_SWEEP, PAYMENT_ENV, routes } from "@flash-sale/services/routes";
import { isSecretInput, runProgram, runWithMocks, unwrapSecrets, type Run } from "./support/program";

const SECRET_KEY = "sk_test_51Example0000000000000000";
const WEBHOOK_SECRET = "whsec_Example0000000000000000000000";

let run: Run<Record<string, unknown>>;
beforeAll(async () => {
  run = await runProgram({
    "flash-sale:stripeSecretKey": SECRET_KEY,
    "flash-sale:stripeWebhookSecret": WEBHOOK_SECRET,
  });
});

const functionOf = (handler: string) => {
  const fn = run
    .ofType("aws:lambda/function:Function")
    .find((candidate) => candidate.name.endsWith(`-api-${handler}-fn`));
  if (!fn) throw new Error(`no function for ${handler}`);
  return fn;
};

/** The config problem `config` provokes, as the error's message. */
async function problem(config: Record<string, string>): Promise<string> {
  try {
    await runWithMocks(config, async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
      const { readConfig } = require("../src/config") as typeof import("../src/config");
      return readConfig();
    });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`config ${JSON.stringify(config)} was accepted`);
}

test("the purchase and webhook functions get both secrets, as secrets; no other function gets either", () => {
  const withSecrets = routes
    .filter((route) => route.paymentSecrets)
    .map((route) => route.handler)
    .sort();
  expect(withSecrets).toEqual(["payment-webhook", "purchase"]);
  for (const handler of withSecrets) expect(isSecretInput(functionOf(handler).inputs.environment)).toBe(true);
  for (const route of routes) {
    const variables = unwrapSecrets(functionOf(route.handler).inputs.environment).variables;
    expect({
      handler: route.handler,
      key: variables[PAYMENT_ENV.secretKey],
      webhook: variables[PAYMENT_ENV.webhookSecret],
    }).toEqual({
      handler: route.handler,
      key: route.paymentSecrets ? SECRET_KEY : undefined,
      webhook: route.paymentSecrets ? WEBHOOK_SECRET : undefined,
    });
  }
});

test("neither secret is among the stack's outputs", () => {
  const outputs = JSON.stringify(run.exports);
  expect(outputs).not.toContain(SECRET_KEY);
  expect(outputs).not.toContain(WEBHOOK_SECRET);
});

test("one secret without the other, or a value of the wrong shape, is refused naming the key and never the value", async () => {
  const alone = await problem({ "flash-sale:stripeSecretKey": SECRET_KEY });
  const wrong = await problem({
    "flash-sale:stripeSecretKey": "pk_live_publishable",
    "flash-sale:stripeWebhookSecret": "not-a-secret",
  });

  expect(alone).toContain("flash-sale:stripeWebhookSecret");
  expect(alone).toContain("npx pulumi config set --secret flash-sale:stripeWebhookSecret");
  expect(wrong).toContain("flash-sale:stripeSecretKey");
  expect(wrong).toContain("flash-sale:stripeWebhookSecret");
  expect(wrong).not.toContain("pk_live_publishable");
  expect(wrong).not.toContain("not-a-secret");
});

describe("the expiry sweep", () => {
  const named = (type: string, suffix: string) => {
    const found = run.ofType(type).find((resource) => resource.name.endsWith(suffix));
    if (!found) throw new Error(`no ${type} named *${suffix}`);
    return found;
  };

  test("an EventBridge rule invokes it every minute, and only that rule may", () => {
    const rule = named("aws:cloudwatch/eventRule:EventRule", "-hold-sweep-schedule");
    const target = named("aws:cloudwatch/eventTarget:EventTarget", "-hold-sweep-target");
    const permission = named("aws:lambda/permission:Permission", "-hold-sweep-invoke");
    const fn = named("aws:lambda/function:Function", "-hold-sweep-fn");

    expect(rule.inputs.scheduleExpression).toBe("rate(1 minute)");
    expect(target.inputs.arn).toBe(fn.state.arn);
    expect(target.inputs.rule).toBe(rule.state.name);
    expect(permission.inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      sourceArn: rule.state.arn,
    });
  });

  test("it runs the sweep's own bundle for up to 50 s, without the payment secrets, on the table only", () => {
    const fn = named("aws:lambda/function:Function", "-hold-sweep-fn");
    const variables = unwrapSecrets(fn.inputs.environment).variables;
    const statement = JSON.parse(
      String(unwrapSecrets(named("aws:iam/rolePolicy:RolePolicy", "-hold-sweep-policy").inputs.policy)),
    ).Statement.find((each: { Sid: string }) => each.Sid === "Table");

    expect(fn.inputs.timeout).toBe(50);
    expect(variables[PAYMENT_ENV.secretKey]).toBeUndefined();
    expect(variables[PAYMENT_ENV.webhookSecret]).toBeUndefined();
    expect(variables.TABLE_NAME).toBe(run.one("aws:dynamodb/table:Table").state.name);
    expect([...statement.Action].sort()).toEqual([...HOLD_SWEEP.dynamodbActions].sort());
    expect(statement.Resource).toEqual([run.one("aws:dynamodb/table:Table").state.arn]);
  });
});
