/** Point 1 of the ops review: no config change or refresh can replace (and so empty) the table or the user pool. */
import { planCapacity } from "@flash-sale/services/contract";
import { warmThroughputToApply } from "../src/data/warm-throughput";
import { runProgram } from "./support/program";
import { runInProcess } from "./support/pulumi-run";

const TABLE = "flash-sale-prod-data-table-abc123";
const plan = (peak: number) => ({
  writeUnitsPerSecond: planCapacity(peak).tableWriteUnitsPerSecond,
  readUnitsPerSecond: planCapacity(peak).tableReadUnitsPerSecond,
});
/** A stack last deployed for `peak` purchases/s, whose live table now has `live` warm throughput. */
const deployedAt = (peak: number, live = plan(peak)) => ({
  previousOutputs: { tableName: TABLE, tableWarmThroughput: { ...plan(peak), expectedPeakPurchasesPerSecond: peak } },
  tables: { [TABLE]: { warmThroughputs: [live] } },
});
/** Every stack but dev needs a sender (the user pool mails through SES). */
const SENDER = { "flash-sale:mailFrom": "orders@example.com" };
/** The peak, with the table quota an account planning for 5,000 purchases/s and more has had AWS raise. */
const peakConfig = (peak: number) => ({
  "flash-sale:expectedPeakPurchasesPerSecond": String(peak),
  "flash-sale:tableWriteQuota": "100000",
  ...SENDER,
});

describe("warm throughput only goes up", () => {
  test("a lowered peak is refused with a message naming the key, both values and the way back", async () => {
    const run = await runInProcess(peakConfig(500), "prod", deployedAt(5000));

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      "flash-sale:expectedPeakPurchasesPerSecond = 500 plans a warm throughput of 4500 write / 12000 read units/s, below the 45000 write",
    );
    expect(run.stderr).toContain("would REPLACE the table with a new, empty one");
    expect(run.stderr).toContain("npx pulumi config set expectedPeakPurchasesPerSecond 5000");
  }, 120_000);

  test("after AWS raised the table's warm throughput by itself, the same config asks for the live value, not less", async () => {
    const live = { writeUnitsPerSecond: 60_000, readUnitsPerSecond: 150_000 };

    const run = await runProgram(peakConfig(5000), "prod", deployedAt(5000, live));

    expect(run.errors).toEqual([]);
    expect(run.one("aws:dynamodb/table:Table").inputs.warmThroughput).toEqual(live);
  });

  test("a raised peak is applied (an in-place update) and recorded for the next deployment's guard", async () => {
    const run = await runProgram(peakConfig(8000), "prod", deployedAt(5000));

    expect(run.errors).toEqual([]);
    expect(run.one("aws:dynamodb/table:Table").inputs.warmThroughput).toEqual(plan(8000));
    expect(run.exports["tableWarmThroughput"]).toEqual({ ...plan(8000), expectedPeakPurchasesPerSecond: 8000 });
  });

  test("the guard reads the stack's own last outputs and the live table through the stack's provider", async () => {
    const run = await runProgram(peakConfig(5000), "prod", deployedAt(5000));

    expect(run.one("pulumi:pulumi:StackReference").inputs.name).toBe("organization/flash-sale/prod");
    const getTable = run.mocks.calls.find((call) => call.token === "aws:dynamodb/getTable:getTable");
    expect(getTable?.inputs.name).toBe(TABLE);
    expect(getTable?.provider).toContain("pulumi:providers:aws::flash-sale-prod-aws");
  });

  test("a table deleted outside Pulumi does not block the deployment", () => {
    const decision = warmThroughputToApply({ peak: 500, plan: plan(500), deployed: {}, live: undefined });
    expect(decision).toEqual({ value: plan(500) });
  });

  test("on the first deployment there is nothing to compare with: the plan is used as it is", async () => {
    const run = await runProgram(peakConfig(500), "prod");

    expect(run.errors).toEqual([]);
    expect(run.mocks.calls.filter((call) => call.token === "aws:dynamodb/getTable:getTable")).toEqual([]);
    expect(run.one("aws:dynamodb/table:Table").inputs.warmThroughput).toEqual(plan(500));
  });
});

describe("protect and retainOnDelete outside dev", () => {
  test("on prod the engine may neither delete nor replace the table or the user pool, and destroy leaves them in AWS", async () => {
    const run = await runProgram(SENDER, "prod");

    for (const type of ["aws:dynamodb/table:Table", "aws:cognito/userPool:UserPool"]) {
      expect({ type, ...run.optionsOf(run.one(type)) }).toMatchObject({
        type,
        protect: true,
        retainOnDelete: true,
        deleteBeforeReplace: false,
        replaceOnChanges: [],
      });
    }
  });

  test("on dev both can still be destroyed (and deletionProtection=true on dev protects them too)", async () => {
    const dev = await runProgram({}, "dev");
    const protectedDev = await runProgram({ "flash-sale:deletionProtection": "true" }, "dev");

    expect(dev.optionsOf(dev.one("aws:dynamodb/table:Table"))).toMatchObject({ protect: false, retainOnDelete: false });
    expect(dev.optionsOf(dev.one("aws:cognito/userPool:UserPool"))).toMatchObject({
      protect: false,
      retainOnDelete: false,
    });
    expect(protectedDev.optionsOf(protectedDev.one("aws:dynamodb/table:Table"))).toMatchObject({
      protect: true,
      retainOnDelete: true,
    });
  });

  test("teardown outside dev: deletionProtection=false lifts protect, but destroy still leaves the table and the user pool in AWS", async () => {
    const run = await runProgram({ ...SENDER, "flash-sale:deletionProtection": "false" }, "prod");

    for (const type of ["aws:dynamodb/table:Table", "aws:cognito/userPool:UserPool"]) {
      expect({ type, ...run.optionsOf(run.one(type)) }).toMatchObject({ type, protect: false, retainOnDelete: true });
    }
    expect(run.one("aws:dynamodb/table:Table").inputs.deletionProtectionEnabled).toBe(false);
    expect(run.one("aws:cognito/userPool:UserPool").inputs.deletionProtection).toBe("INACTIVE");
  });
});

describe("a refused warm throughput fails the update", () => {
  test("the run exits non-zero with the refusal (a logged error would exit 0), registers no table and exports no lowered plan", async () => {
    const refused = await runInProcess(peakConfig(500), "prod", deployedAt(5000));

    expect(refused.code).not.toBe(0);
    expect(refused.stdout).not.toContain("tableWarmThroughput");
    expect(refused.stdout).not.toContain("aws:dynamodb/table:Table");

    const accepted = await runInProcess(peakConfig(5000), "prod", deployedAt(5000));
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout).exports.tableWarmThroughput).toEqual({
      ...plan(5000),
      expectedPeakPurchasesPerSecond: 5000,
    });
  }, 240_000);
});
