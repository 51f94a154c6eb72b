import { AGENT_ENTRY } from "@flash-sale/perf/agent/bundle";
/** The EC2 fleet: instance architecture, the boot script, and the component with and without the perf agent. */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { al2023AmiParameter, architectureOf } from "../src/loadgen/instance-arch";
import { agentUserData } from "../src/loadgen/user-data";
import { agentZones } from "../src/loadgen/zones";
import type { World } from "./support/mocks";
import { runWithMocks, tempDir } from "./support/program";

function fleet(count: number, agentEntry: string | undefined, world: World = {}) {
  return runWithMocks(
    {},
    async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
      const { LoadGenerators } =
        require("../src/components/load-generators") as typeof import("../src/components/load-generators");
      new LoadGenerators("t-loadgen", { count, instanceType: "c7g.large", region: "eu-west-1", agentEntry });
    },
    "dev",
    world,
  );
}

describe("instance architecture", () => {
  test.each([
    ["c7g.large", "arm64"],
    ["m7gd.xlarge", "arm64"],
    ["c6gn.medium", "arm64"],
    ["t4g.micro", "arm64"],
    ["im4gn.large", "arm64"],
    ["a1.large", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["c7i.large", "x86_64"],
    ["m7a.large", "x86_64"],
    ["g5.xlarge", "x86_64"],
    ["t3.micro", "x86_64"],
  ])("%s runs %s", (type, arch) => {
    expect(architectureOf(type)).toBe(arch);
  });

  test("the AMI comes from AWS's public AL2023 parameter for that architecture", () => {
    expect(al2023AmiParameter("arm64")).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  });
});

describe("user data", () => {
  const script = agentUserData({ bucket: "flash-sale-dev-results-abc", region: "eu-west-1" });

  test("is valid bash", () => {
    const { dir, remove } = tempDir("infra-userdata-");
    try {
      const file = path.join(dir, "user-data.sh");
      writeFileSync(file, script);
      execFileSync("bash", ["-n", file]);
    } finally {
      remove();
    }
  });

  test("installs Node 22, reads the instance id over IMDSv2, and runs the agent from the bucket with the documented arguments", () => {
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("dnf install -y nodejs22");
    expect(script).toContain(
      'curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300"',
    );
    expect(script).toContain(
      '-H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id',
    );
    expect(script).toContain(
      'aws s3 cp --quiet --region "$REGION" "s3://$BUCKET/agent/scenario.json" scenario.next.json',
    );
    expect(script).toContain('aws s3 cp --quiet --region "$REGION" "s3://$BUCKET/agent/agent.js" agent.js');
    expect(script).toContain(
      'node-22 agent.js --scenario scenario.json --bucket "$BUCKET" --instance "$INSTANCE" --region "$REGION"',
    );
    expect(script).toContain("BUCKET=flash-sale-dev-results-abc\nREGION=eu-west-1\n");
    expect(script).toContain("systemctl enable --now flash-sale-agent.service");
  });

  test("skips a scenario whose start time has passed (a reboot must not replay an old run)", () => {
    expect(script).toContain("process.exit(s.startAt > Date.now() ? 0 : 1)");
  });

  test("refuses values that would inject shell", () => {
    expect(() => agentUserData({ bucket: "b; rm -rf /", region: "eu-west-1" })).toThrow(
      'unsafe bucket name for the agent\'s user data: "b; rm -rf /"',
    );
    expect(() => agentUserData({ bucket: "b", region: "$(id)" })).toThrow("unsafe region");
  });
});

describe("LoadGenerators component", () => {
  test("two arm64 agents launched from a template on the AL2023 arm64 AMI parameter, with IMDSv2 required", async () => {
    const run = await fleet(2, undefined);
    const instances = run.ofType("aws:ec2/instance:Instance");
    expect(instances.map((i) => i.name)).toEqual(["t-loadgen-agent-0", "t-loadgen-agent-1"]);
    expect(run.one("aws:ec2/launchTemplate:LaunchTemplate").inputs).toMatchObject({
      imageId: `resolve:ssm:${al2023AmiParameter("arm64")}`,
      metadataOptions: { httpTokens: "required" },
    });
    for (const instance of instances)
      expect(instance.inputs).toMatchObject({ instanceType: "c7g.large", userDataReplaceOnChange: true });
  });

  test("the agent uploaded by pulumi up is byte for byte the build `npm run perf -- fleet` uploads", async () => {
    const run = await fleet(0, AGENT_ENTRY);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the perf workspace's own build
    const { agentBundle } = require("@flash-sale/perf/agent/bundle") as typeof import("@flash-sale/perf/agent/bundle");
    const uploaded: string = await run.one("aws:s3/bucketObjectv2:BucketObjectv2").inputs.source.text;
    expect(uploaded).toBe(await agentBundle());
  });

  test("without the perf agent source nothing is uploaded and the operator is told why", async () => {
    const run = await fleet(0, undefined);
    expect(run.ofType("aws:s3/bucketObjectv2:BucketObjectv2")).toHaveLength(0);
    expect(run.warnings).toEqual([expect.stringContaining("the perf agent (perf/src/agent/agent.ts) is missing")]);
  });
});

describe("availability zones follow what the region offers", () => {
  test("the VPC's subnets go only where EC2 offers the instance type, and agents take those in turn", async () => {
    const run = await fleet(3, undefined, {
      zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      offerings: { "c7g.large": ["eu-west-1c", "eu-west-1a"] },
    });

    const vpc = run.one("awsx:ec2:Vpc").inputs;
    expect(vpc.availabilityZoneNames).toEqual(["eu-west-1a", "eu-west-1c"]);
    expect(vpc.numberOfAvailabilityZones).toBeUndefined();
    const offerings = run.mocks.calls.find(
      (call) => call.token === "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings",
    );
    expect(offerings?.inputs).toMatchObject({
      locationType: "availability-zone",
      filters: [{ name: "instance-type", values: ["c7g.large"] }],
    });
    const subnets = run.ofType("aws:ec2/instance:Instance").map((instance) => instance.inputs.subnetId);
    expect(subnets).toEqual(["subnet-a", "subnet-c", "subnet-a"]);
  });

  test("a region with two zones gets a two-zone VPC, not a request for three", async () => {
    const run = await fleet(1, undefined, { zones: ["ca-west-1a", "ca-west-1b"] });
    expect(run.one("awsx:ec2:Vpc").inputs.availabilityZoneNames).toEqual(["ca-west-1a", "ca-west-1b"]);
  });

  test("at most three zones, only the region's available ones, and a type offered nowhere is refused by name", () => {
    const available = ["r-1d", "r-1a", "r-1c", "r-1b"];
    expect(agentZones({ instanceType: "c7g.large", offered: [...available, "r-lax-1a"], available, max: 3 })).toEqual([
      "r-1a",
      "r-1b",
      "r-1c",
    ]);
    expect(() => agentZones({ instanceType: "c7g.large", offered: [], available, max: 3 })).toThrow(
      'flash-sale:loadGenerators.instanceType = "c7g.large" is not offered in any availability zone of this region',
    );
  });
});
