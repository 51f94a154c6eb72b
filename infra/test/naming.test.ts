/**
 * Names AWS wants unique per account (CloudFront policies, the origin access control and function, dashboards,
 * alarms) come from the stack's resource prefix: two stacks in one account must never share one.
 */
import { MAX_PREFIX_LENGTH, resourcePrefix } from "../src/config";
import { runProgram, type Run } from "./support/program";

/** Every stack but dev needs a mail sender. */
const SENDER = { "flash-sale:mailFrom": "orders@example.com" };

/** Names unique only inside their parent (an API's stage and authorizer, a function's alias), not the account. */
const SCOPED_TYPES = [
  "aws:apigatewayv2/authorizer:Authorizer",
  "aws:apigatewayv2/stage:Stage",
  "aws:lambda/alias:Alias",
  "pulumi:pulumi:StackReference",
];

/** The inputs that set a physical name outright (no random suffix from Pulumi). */
const NAME_INPUTS = ["name", "dashboardName", "alarmName"];

/** Every explicit physical name that must be unique in the account, with its type. */
function explicitNames(run: Run<unknown>): string[] {
  return run.resources
    .filter((resource) => !SCOPED_TYPES.includes(resource.type))
    .flatMap((resource) =>
      NAME_INPUTS.filter((input) => typeof resource.inputs[input] === "string").map(
        (input) => `${resource.type} ${resource.inputs[input]}`,
      ),
    );
}

describe("resource prefix", () => {
  test("stacks that differ only past the 30th character get different prefixes, each at most 30 characters", () => {
    const east1 = resourcePrefix("production-us-east-1");
    const east2 = resourcePrefix("production-us-east-2");
    expect(east1).not.toBe(east2);
    for (const prefix of [east1, east2]) {
      expect(prefix.length).toBeLessThanOrEqual(MAX_PREFIX_LENGTH);
      expect(prefix).toMatch(/^flash-sale-production-us-[0-9a-f]{4}$/);
    }
    expect(resourcePrefix("production-us-east-1")).toBe(east1); // stable from one run to the next
  });

  test("short stack names keep their readable prefix", () => {
    expect(resourcePrefix("dev")).toBe("flash-sale-dev");
    expect(resourcePrefix("staging-eu-west-1")).toBe("flash-sale-staging-eu-west-1");
  });

  test("production-us-east-1 and production-us-east-2 in one account share no explicit resource name", async () => {
    const east1 = explicitNames(await runProgram(SENDER, "production-us-east-1"));
    const east2 = new Set(explicitNames(await runProgram(SENDER, "production-us-east-2")));
    // The names CloudFront refused first: cache policy, origin access control, CloudFront Function.
    for (const type of ["cachePolicy:CachePolicy", "originAccessControl:OriginAccessControl", "function:Function"])
      expect(east1.some((name) => name.startsWith(`aws:cloudfront/${type} `))).toBe(true);
    expect(east1.some((name) => name.startsWith("aws:cloudwatch/dashboard:Dashboard "))).toBe(true);
    expect(east1.filter((name) => east2.has(name))).toEqual([]);
  }, 60_000);
});
