/** One route's function on its own: grants when the table has indexes, and the invoke permission's scope. */
import { routes } from "@flash-sale/services/routes";
import { routeSourceArn } from "../src/components/route-function";
import { parsePolicy, runWithMocks } from "./support/program";

const getProduct = routes.find((route) => route.handler === "get-product")!;

test("with secondary indexes the role may also use them, and only them (table/index/*)", async () => {
  const run = await runWithMocks({}, async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
    const { RouteFunction } =
      require("../src/components/route-function") as typeof import("../src/components/route-function");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- same registry as the component
    const { handlerEntry } = require("../src/bundle") as typeof import("../src/bundle");
    new RouteFunction("t-getProduct", {
      route: getProduct,
      entry: handlerEntry("get-product"),
      tableName: "shop",
      tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/shop",
      tableHasIndexes: true,
      lambda: { runtime: "nodejs22.x", memoryMb: 512, timeoutSeconds: 5, logRetentionDays: 7 },
      metricsNamespace: "flash-sale-test",
      apiExecutionArn: "arn:aws:execute-api:eu-west-1:123456789012:abc",
      stageName: "api",
    });
  });
  const [table] = parsePolicy(run.one("aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
  expect(table).toEqual({
    Sid: "Table",
    Effect: "Allow",
    Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem"],
    Resource: [
      "arn:aws:dynamodb:eu-west-1:123456789012:table/shop",
      "arn:aws:dynamodb:eu-west-1:123456789012:table/shop/index/*",
    ],
  });
  expect(run.one("aws:lambda/function:Function").inputs).toMatchObject({
    memorySize: 512,
    timeout: 5,
    reservedConcurrentExecutions: -1,
    publish: false,
  });
});

test("the invoke permission names the stage, the method and the path, with path parameters as wildcards", () => {
  expect(routeSourceArn("arn:aws:execute-api:eu-west-1:1:abc", "api", getProduct)).toBe(
    "arn:aws:execute-api:eu-west-1:1:abc/api/GET/products/*",
  );
  expect(routeSourceArn("arn:aws:execute-api:eu-west-1:1:abc", "api", { method: "POST", path: "/purchases" })).toBe(
    "arn:aws:execute-api:eu-west-1:1:abc/api/POST/purchases",
  );
});
