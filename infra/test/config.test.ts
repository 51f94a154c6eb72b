/** The stack config reader: defaults for an empty config, and a clear error naming every bad key and value. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_KEYS, DEFAULTS, type StackConfig } from "../src/config";
import { runWithMocks } from "./support/program";

async function read(config: Record<string, string>, stack = "dev"): Promise<StackConfig> {
  const run = await runWithMocks(
    config,
    async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
      const { readConfig } = require("../src/config") as typeof import("../src/config");
      return readConfig();
    },
    stack,
  );
  return run.exports;
}

async function problem(config: Record<string, string>): Promise<string> {
  try {
    await read(config);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`config ${JSON.stringify(config)} was accepted`);
}

describe("defaults", () => {
  test("an empty dev stack config deploys with documented defaults", async () => {
    const config = await read({});
    expect(config).toMatchObject({
      prefix: "flash-sale-dev",
      expectedPeakPurchasesPerSecond: 500,
      deletionProtection: false,
      lambdaRuntime: "nodejs22.x",
      lambdaMemoryMb: 1024,
      lambdaTimeoutSeconds: 10,
      logRetentionDays: 14,
      apiThrottleRateLimit: 2000,
      apiThrottleBurstLimit: 1000,
      purchaseReservedConcurrency: -1,
      purchaseProvisionedConcurrency: 0,
      alarm5xxRatePercent: 1,
      alarmPurchaseP99Ms: 1000,
      webAcl: false,
      webAclRateLimit: 2000,
      alarmEmail: undefined,
      loadGenerators: { count: 0, instanceType: "c7g.large" },
    });
  });

  test("deletion protection is on by default for every stack but dev", async () => {
    const sender = { "flash-sale:mailFrom": "orders@example.com" };
    expect((await read(sender, "prod")).deletionProtection).toBe(true);
    expect((await read(sender, "staging")).deletionProtection).toBe(true);
    expect((await read({ "flash-sale:deletionProtection": "true" }, "dev")).deletionProtection).toBe(true);
  });

  test("the resource prefix is safe for S3 and IAM whatever the stack is called", async () => {
    expect((await read({ "flash-sale:mailFrom": "orders@example.com" }, "My_Stack.2")).prefix).toBe(
      "flash-sale-my-stack-2",
    );
  });
});

describe("accepted values", () => {
  test("numbers and booleans arrive as strings from `pulumi config set` and are parsed", async () => {
    const config = await read({
      "flash-sale:lambdaRuntime": "nodejs24.x",
      "flash-sale:lambdaMemoryMb": "2048",
      "flash-sale:expectedPeakPurchasesPerSecond": "2500",
      "flash-sale:purchaseReservedConcurrency": "-1",
      "flash-sale:purchaseProvisionedConcurrency": "25",
      "flash-sale:loadGenerators": '{"count":"3","instanceType":"c7i.xlarge"}',
      "flash-sale:alarmEmail": "ops@example.com",
    });
    expect(config).toMatchObject({
      lambdaRuntime: "nodejs24.x",
      lambdaMemoryMb: 2048,
      expectedPeakPurchasesPerSecond: 2500,
      purchaseReservedConcurrency: -1,
      purchaseProvisionedConcurrency: 25,
      loadGenerators: { count: 3, instanceType: "c7i.xlarge" },
      alarmEmail: "ops@example.com",
    });
  });
});

describe("rejected values name the key and the value", () => {
  test.each([
    ["lambdaRuntime", "nodejs18.x", 'flash-sale:lambdaRuntime = "nodejs18.x": must be one of nodejs22.x, nodejs24.x'],
    ["lambdaMemoryMb", "64", 'flash-sale:lambdaMemoryMb = "64": must be a whole number from 128 to 10240 MB'],
    ["lambdaMemoryMb", "lots", 'flash-sale:lambdaMemoryMb = "lots": must be a whole number from 128 to 10240 MB'],
    [
      "lambdaTimeoutSeconds",
      "60",
      'flash-sale:lambdaTimeoutSeconds = "60": must be a whole number from 1 to 29 seconds',
    ],
    [
      "expectedPeakPurchasesPerSecond",
      "0",
      'flash-sale:expectedPeakPurchasesPerSecond = "0": must be a number above 0',
    ],
    ["deletionProtection", "yes", 'flash-sale:deletionProtection = "yes": must be true or false'],
    ["logRetentionDays", "10", "flash-sale:logRetentionDays = 10: must be one CloudWatch accepts"],
    ["apiThrottleBurstLimit", "1.5", 'flash-sale:apiThrottleBurstLimit = "1.5": must be a whole number'],
    ["purchaseReservedConcurrency", "0", "flash-sale:purchaseReservedConcurrency = 0: 0 would stop every purchase"],
    ["alarmEmail", "ops", 'flash-sale:alarmEmail = "ops": must be an email address'],
    ["alarmPurchaseP99Ms", "5", 'flash-sale:alarmPurchaseP99Ms = "5": must be a whole number from 10 to 30000 ms'],
    ["webAcl", "on", 'flash-sale:webAcl = "on": must be true or false'],
    [
      "webAclRateLimit",
      "5",
      'flash-sale:webAclRateLimit = "5": must be a whole number from 10 to 2000000000 requests per 5 minutes',
    ],
    [
      "loadGenerators",
      '{"count":-1}',
      "flash-sale:loadGenerators.count = -1: must be a whole number from 0 to 100 instances",
    ],
    [
      "loadGenerators",
      '{"instanceType":"big one"}',
      'flash-sale:loadGenerators.instanceType = "big one": must be an EC2 instance type',
    ],
    [
      "loadGenerators",
      '{"cout":2}',
      "flash-sale:loadGenerators.cout = 2: is not a known setting (known: count, instanceType)",
    ],
    ["loadGenerators", "3", "flash-sale:loadGenerators = 3: must be an object"],
    ["lambdaMemory", "2048", 'flash-sale:lambdaMemory = "2048": is not a known setting'],
  ])("%s = %s", async (key, value, message) => {
    const text = await problem({ [`flash-sale:${key}`]: value });
    expect(text).toContain("Invalid stack configuration (Pulumi.dev.yaml)");
    expect(text).toContain(message);
  });

  const MAIL_FROM_EXPECTATION =
    'must be the sender of order mails: an address (orders@example.com) or a display name in plain ASCII and the address ("Flash Sale <orders@example.com>")';
  test.each([
    ["no at sign", "orders.example.com"],
    ["no domain dot", "orders@example"],
    ["two addresses", "orders@example.com, sales@example.com"],
    ["an unclosed bracket", "Flash Sale <orders@example.com"],
    ["brackets but no name", "<orders@example.com>"],
    ["a quoted name", '"Flash Sale" <orders@example.com>'],
    ["a name that is not ASCII", "Flash Säle <orders@example.com>"],
    ["a space in the address", "orders @example.com"],
  ])("mailFrom with %s is refused, naming the key, the value and what a sender looks like", async (_, value) => {
    const text = await problem({ "flash-sale:mailFrom": value });
    expect(text).toContain(`flash-sale:mailFrom = ${JSON.stringify(value)}: ${MAIL_FROM_EXPECTATION}`);
  });

  test.each([
    ["orders@example.com", { from: "orders@example.com", address: "orders@example.com", domain: "example.com" }],
    [
      "Flash Sale <orders@Shop.Example.co.uk>",
      {
        from: "Flash Sale <orders@Shop.Example.co.uk>",
        address: "orders@Shop.Example.co.uk",
        domain: "shop.example.co.uk",
      },
    ],
    [
      "  sales+eu@example.com ",
      { from: "sales+eu@example.com", address: "sales+eu@example.com", domain: "example.com" },
    ],
  ])("mailFrom %j is read as the sender, its address and its domain", async (value, expected) => {
    expect((await read({ "flash-sale:mailFrom": value })).mailFrom).toEqual(expected);
  });

  test("mailFrom is unset by default: no sender", async () => {
    expect((await read({})).mailFrom).toBeUndefined();
  });

  test("provisioned concurrency may not exceed the reserved concurrency", async () => {
    expect(
      await problem({
        "flash-sale:purchaseReservedConcurrency": "50",
        "flash-sale:purchaseProvisionedConcurrency": "80",
      }),
    ).toContain("flash-sale:purchaseProvisionedConcurrency = 80: must not exceed purchaseReservedConcurrency (50)");
  });

  test("every bad key is reported at once", async () => {
    const text = await problem({ "flash-sale:lambdaMemoryMb": "1", "flash-sale:lambdaTimeoutSeconds": "0" });
    expect(text.split("\n").filter((line) => line.startsWith("  - "))).toHaveLength(2);
  });

  test("a bad value makes the program itself (what `pulumi up` runs) fail with that message", async () => {
    await expect(
      runWithMocks({ "flash-sale:lambdaRuntime": "python3.12" }, async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
        require("..");
      }),
    ).rejects.toThrow("flash-sale:lambdaRuntime");
  });
});

describe("a sender outside dev (the user pool mails sign-up codes through SES)", () => {
  test("a stack other than dev without mailFrom is refused, naming the key and how to set it", async () => {
    await expect(read({}, "prod")).rejects.toThrow(
      "flash-sale:mailFrom = undefined: is needed on every stack but dev: the user pool mails sign-up codes and password resets through SES",
    );
    await expect(read({}, "prod")).rejects.toThrow(
      'npx pulumi config set flash-sale:mailFrom "Flash Sale <orders@example.com>"',
    );
  });

  test("dev may go without one (Cognito's own sender)", async () => {
    expect((await read({}, "dev")).mailFrom).toBeUndefined();
  });
});

describe("the table quota (DynamoDB refuses warm throughput above it)", () => {
  test("a peak planning more than the default 40,000 write units/s is refused, naming the largest peak and the quota key", async () => {
    const message = await problem({ "flash-sale:expectedPeakPurchasesPerSecond": "4445" });

    expect(message).toContain(
      "flash-sale:expectedPeakPurchasesPerSecond = 4445: plans a table warm throughput of 40005 write units/s, above the table quota of 40000 (flash-sale:tableWriteQuota)",
    );
    expect(message).toContain("at most 4444 purchases/s");
  });

  test("the largest peak within the quota is accepted, and a raised quota lets a higher peak through", async () => {
    expect((await read({ "flash-sale:expectedPeakPurchasesPerSecond": "4444" })).tableWriteQuota).toBe(40_000);
    const raised = await read({
      "flash-sale:expectedPeakPurchasesPerSecond": "8000",
      "flash-sale:tableWriteQuota": "80000",
    });
    expect(raised).toMatchObject({ expectedPeakPurchasesPerSecond: 8000, tableWriteQuota: 80_000 });
    expect(await problem({ "flash-sale:tableWriteQuota": "1000" })).toContain(
      'flash-sale:tableWriteQuota = "1000": must be a whole number from 40000',
    );
  });
});

describe("the ops README documents the configuration", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Outputs"));
  const rows = new Map(
    section
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .map((line) => [/^\| `([^`]+)`/.exec(line)![1]!, line]),
  );

  test("every config key has a row, and no row names a key the program does not read", () => {
    const expected = CONFIG_KEYS.flatMap((key) =>
      key === "loadGenerators" ? ["loadGenerators.count", "loadGenerators.instanceType"] : [key],
    );
    expect([...rows.keys()].sort()).toEqual([...expected].sort());
  });

  test("each documented default is the program's default", () => {
    const flat: Record<string, unknown> = {
      ...DEFAULTS,
      "loadGenerators.count": DEFAULTS.loadGenerators.count,
      "loadGenerators.instanceType": DEFAULTS.loadGenerators.instanceType,
    };
    for (const [key, value] of Object.entries(flat)) {
      if (typeof value === "object") continue;
      const defaultColumn = rows.get(key)!.split(" | ").at(-1)!;
      expect({ key, documented: defaultColumn.includes(`\`${value}\``) }).toEqual({ key, documented: true });
    }
    expect(rows.get("deletionProtection")).toContain("`false` on the `dev` stack, `true` on every other");
  });
});

describe("the committed dev stack config", () => {
  test("Pulumi.dev.yaml is accepted as it stands", async () => {
    // js-yaml comes with @pulumi/pulumi; Pulumi hands object values to the program as JSON strings.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require("js-yaml") as { load(text: string): unknown };
    const file = yaml.load(readFileSync(path.join(__dirname, "../../Pulumi.dev.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    const config = Object.fromEntries(
      Object.entries(file.config).map(([key, value]) => [
        key,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    );

    const read_ = await read(config);

    expect(read_).toMatchObject({
      expectedPeakPurchasesPerSecond: 500,
      loadGenerators: { count: 0, instanceType: "c7g.large" },
    });
  });
});
