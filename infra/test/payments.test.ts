/**
 * Payments in the Pulumi program, under mocks: the provider's secrets read from config secrets, checked for
 * Stripe's shapes without ever printing them, and reaching exactly the functions whose route calls the provider;
 * those functions know the storefront's URL (CloudFront's), although CloudFront's /api/* origin is the API,
 * without a dependency cycle.
 */
import { PAYMENT_ENV, routes } from "@flash-sale/services/routes";
import type { Registered } from "./support/mocks";
import {
  functionOf,
  isSecretInput,
  outputValue,
  runProgram,
  runWithMocks,
  unwrapSecrets,
  type Run,
} from "./support/program";

const SECRET_KEY = "sk_test_51Example0000000000000000";
const WEBHOOK_SECRET = "whsec_Example0000000000000000000000";

let run: Run<Record<string, unknown>>;
/** The same program without the Stripe secrets (payment products cannot be sold). */
let unpaid: Run<Record<string, unknown>>;
beforeAll(async () => {
  run = await runProgram({
    "flash-sale:stripeSecretKey": SECRET_KEY,
    "flash-sale:stripeWebhookSecret": WEBHOOK_SECRET,
  });
  unpaid = await runProgram();
});

const paying = routes
  .filter((route) => route.paymentSecrets)
  .map((route) => route.handler as string)
  .sort();
/** Route handlers by name, and `hold-sweep` for the sweep. */
const handlerOf = (fn: Registered) => fn.name.replace(/^flash-sale-dev-(api-)?|-fn$/g, "");
const variablesOf = (fn: Registered): Record<string, string> => unwrapSecrets(fn.inputs.environment).variables;
const keyOf = (resource: Registered) => `${resource.type}::${resource.name}`;

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
  expect(paying).toEqual(["payment-webhook", "purchase"]);
  for (const handler of paying) expect(isSecretInput(functionOf(run, handler).inputs.environment)).toBe(true);
  for (const route of routes) {
    const variables = variablesOf(functionOf(run, route.handler));
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

describe("the storefront's URL", () => {
  test("the paying functions get STOREFRONT_URL, the distribution's https URL (where the payment page returns); no other function, the sweep included", () => {
    const distribution = run.one("aws:cloudfront/distribution:Distribution");
    expect(run.exports["storefrontUrl"]).toBe(`https://${distribution.state.domainName}`);
    const functions = run.ofType("aws:lambda/function:Function");
    expect(functions.map(handlerOf)).toContain("hold-sweep");
    for (const fn of functions) {
      const handler = handlerOf(fn);
      expect({ handler, url: variablesOf(fn)[PAYMENT_ENV.storefrontUrl] }).toEqual({
        handler,
        url: paying.includes(handler) ? run.exports["storefrontUrl"] : undefined,
      });
    }
  });

  test("it is set without the Stripe secrets too (the functions' shape does not change when they are added)", () => {
    for (const handler of paying) {
      const variables = variablesOf(functionOf(unpaid, handler));
      expect({ handler, url: variables[PAYMENT_ENV.storefrontUrl], key: variables[PAYMENT_ENV.secretKey] }).toEqual({
        handler,
        url: unpaid.exports["storefrontUrl"],
        key: undefined,
      });
    }
  });

  test("the webhook endpoint to register in Stripe is an output: the storefront's /api/payments/webhook, public", () => {
    expect(run.exports["paymentWebhookUrl"]).toBe(`${run.exports["storefrontUrl"]}/api/payments/webhook`);
    const route = run
      .ofType("aws:apigatewayv2/route:Route")
      .find((candidate) => candidate.inputs.routeKey === "POST /payments/webhook");
    expect(route?.inputs.authorizationType).toBe("NONE");
  });

  test("no dependency cycle: CloudFront waits for the HTTP API resource alone; the paying functions, then their integrations, routes and the stage, wait for CloudFront", () => {
    const dependsOn = (resource: Registered) => run.optionsOf(resource).dependsOn;
    const named = (type: string, suffix: string) => {
      const found = run.ofType(type).find((resource) => resource.name.endsWith(suffix));
      if (!found) throw new Error(`no ${type} named *${suffix}`);
      return found;
    };
    const distribution = run.one("aws:cloudfront/distribution:Distribution");
    const stage = run.one("aws:apigatewayv2/stage:Stage");
    expect(dependsOn(distribution)).toContain(keyOf(run.one("aws:apigatewayv2/api:Api")));
    expect(
      dependsOn(distribution).filter((key) => /^aws:(lambda|apigatewayv2\/(stage|route|integration))/.test(key)),
    ).toEqual([]);
    for (const handler of paying) {
      const fn = functionOf(run, handler);
      const integration = named("aws:apigatewayv2/integration:Integration", `-api-${handler}-integration`);
      const route = named("aws:apigatewayv2/route:Route", `-api-${handler}-route`);
      expect(dependsOn(fn)).toContain(keyOf(distribution));
      expect(dependsOn(integration)).toContain(keyOf(fn));
      expect(dependsOn(route)).toContain(keyOf(integration));
      expect(dependsOn(stage)).toContain(keyOf(route));
    }
    // The other functions do not wait for CloudFront.
    for (const fn of run.ofType("aws:lambda/function:Function").filter((each) => !paying.includes(handlerOf(each))))
      expect({ fn: fn.name, waits: dependsOn(fn).includes(keyOf(distribution)) }).toEqual({
        fn: fn.name,
        waits: false,
      });

    // The whole graph the engine receives is acyclic (a cycle would hang `pulumi up`, as it would this run).
    const registered = run.resources.filter((resource) => resource.type !== "pulumi:pulumi:StackReference");
    const edges = new Map(registered.map((resource) => [keyOf(resource), dependsOn(resource)]));
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (key: string, path: string[]) => {
      if (state.get(key) === "done") return;
      if (state.get(key) === "visiting") {
        cycles.push([...path, key].join(" -> "));
        return;
      }
      state.set(key, "visiting");
      for (const next of edges.get(key) ?? []) visit(next, [...path, key]);
      state.set(key, "done");
    };
    for (const key of edges.keys()) visit(key, []);
    expect(cycles).toEqual([]);
  });

  test("a route function refuses a paying route without the URL, and sets it (with the secrets, as secrets) when given", async () => {
    const webhookRoute = routes.find((route) => route.handler === "payment-webhook")!;
    const component = await runWithMocks({}, async (pulumi) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
      const { RouteFunction } =
        require("../src/components/route-function") as typeof import("../src/components/route-function");
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- same registry as the component
      const { handlerEntry } = require("../src/bundle") as typeof import("../src/bundle");
      const args = {
        route: webhookRoute,
        entry: handlerEntry("payment-webhook"),
        tableName: "shop",
        tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/shop",
        tableHasIndexes: false,
        lambda: { runtime: "nodejs22.x" as const, memoryMb: 512, timeoutSeconds: 5, logRetentionDays: 7 },
        metricsNamespace: "flash-sale-test",
        apiExecutionArn: "arn:aws:execute-api:eu-west-1:123456789012:abc",
        stageName: "api",
      };
      expect(() => new RouteFunction("t-unpaid", args)).toThrow(
        "POST /payments/webhook takes payments: give its function the storefront URL (the payment page returns there)",
      );
      const fn = new RouteFunction("t-webhook", {
        ...args,
        paymentSecrets: { secretKey: "sk_test_plain", webhookSecret: "whsec_plain" },
        storefrontUrl: "https://shop.example",
      });
      return { functionName: await outputValue(pulumi.output(fn.functionName)) };
    });
    const fn = component.one("aws:lambda/function:Function");
    expect(isSecretInput(fn.inputs.environment)).toBe(true);
    expect(variablesOf(fn)).toMatchObject({
      [PAYMENT_ENV.secretKey]: "sk_test_plain",
      [PAYMENT_ENV.webhookSecret]: "whsec_plain",
      [PAYMENT_ENV.storefrontUrl]: "https://shop.example",
    });
  });
});
