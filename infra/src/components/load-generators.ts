/**
 * A config-sized fleet of EC2 load agents (0 by default) and the results bucket they share with `npm run perf`.
 * No inbound ports: operators reach instances through SSM Session Manager. The instance role may read agent/*
 * and write results/* in that bucket, and nothing else besides SSM's managed core policy.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundle } from "../bundle";
import { al2023AmiParameter, architectureOf } from "../loadgen/instance-arch";
import { agentUserData } from "../loadgen/user-data";
import { assumeRolePolicy, policyJson } from "../policy";

export interface LoadGeneratorsArgs {
  count: number;
  instanceType: string;
  region: pulumi.Input<string>;
  /** The perf agent's source (perf/src/agent/agent.ts); bundled to agent/agent.js when present. */
  agentEntry: string | undefined;
}

export class LoadGenerators extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly role: aws.iam.Role;
  readonly instances: aws.ec2.Instance[] = [];

  constructor(name: string, args: LoadGeneratorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:loadgen:LoadGenerators", name, {}, opts);

    // Results are test output, not business data: destroying the stack may delete them.
    this.bucket = new aws.s3.Bucket(`${name}-results`, { forceDestroy: true }, { parent: this });
    new aws.s3.BucketPublicAccessBlock(
      `${name}-results-public-access-block`,
      { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    new aws.s3.BucketOwnershipControls(`${name}-results-ownership`, { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
    this.bucketName = this.bucket.bucket;

    this.role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com") }, { parent: this });
    new aws.iam.RolePolicyAttachment(`${name}-ssm`, { role: this.role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore }, { parent: this });
    new aws.iam.RolePolicy(
      `${name}-bucket-access`,
      {
        role: this.role.id,
        policy: policyJson(
          { Sid: "ReadAgentAndScenario", Effect: "Allow", Action: "s3:GetObject", Resource: pulumi.interpolate`${this.bucket.arn}/agent/*` },
          { Sid: "WriteResults", Effect: "Allow", Action: "s3:PutObject", Resource: pulumi.interpolate`${this.bucket.arn}/results/*` },
        ),
      },
      { parent: this },
    );
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: this.role.name }, { parent: this });

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        description: "Flash-sale load agents: no inbound, outbound HTTPS to the API, Cognito and S3",
        egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "HTTPS" }],
      },
      { parent: this },
    );

    this.uploadAgent(name, args.agentEntry);

    if (args.count > 0) {
      const arch = architectureOf(args.instanceType);
      const ami = aws.ssm.getParameterOutput({ name: al2023AmiParameter(arch) }, { parent: this }).value;
      const userData = pulumi.all([this.bucket.bucket, args.region]).apply(([bucket, region]) => agentUserData({ bucket, region }));
      for (let index = 0; index < args.count; index++) {
        this.instances.push(
          new aws.ec2.Instance(
            `${name}-agent-${index}`,
            {
              ami,
              instanceType: args.instanceType,
              iamInstanceProfile: profile.name,
              vpcSecurityGroupIds: [securityGroup.id],
              associatePublicIpAddress: true,
              metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
              rootBlockDevice: { volumeType: "gp3", volumeSize: 8, encrypted: true },
              userData,
              userDataReplaceOnChange: true,
              tags: { Name: `${name}-agent-${index}` },
            },
            { parent: this },
          ),
        );
      }
    }
    this.registerOutputs({ bucketName: this.bucketName, instanceIds: this.instances.map((instance) => instance.id) });
  }

  private uploadAgent(name: string, agentEntry: string | undefined): void {
    if (agentEntry === undefined) {
      pulumi.log.warn("the perf agent (perf/src/agent/agent.ts) is missing: agent/agent.js is not uploaded; `npm run perf -- fleet` uploads it before a run.", this);
      return;
    }
    new aws.s3.BucketObjectv2(
      `${name}-agent-bundle`,
      {
        bucket: this.bucket.id,
        key: "agent/agent.js",
        // Amazon Linux's nodejs22 runs it.
        source: new pulumi.asset.StringAsset(bundle(agentEntry, "node22")),
        contentType: "text/javascript; charset=utf-8",
      },
      { parent: this },
    );
  }
}
