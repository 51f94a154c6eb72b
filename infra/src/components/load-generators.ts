/**
 * A config-sized fleet of EC2 load agents (0 by default) and the results bucket they share with `npm run perf`.
 * No inbound ports: operators reach instances through SSM Session Manager. The instance role may read agent/*
 * and write results/* in that bucket, and nothing else besides SSM's managed core policy.
 *
 * Networking exists only while there are agents: a VPC of its own (public subnets only, no NAT gateway, so it
 * costs nothing by itself) rather than the account's default VPC, which landing-zone accounts do not have.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { agentBundle } from "@flash-sale/perf/agent/bundle";
import { memoised } from "../bundle";
import { al2023AmiParameter, architectureOf } from "../loadgen/instance-arch";
import { agentZones } from "../loadgen/zones";
import { agentUserData } from "../loadgen/user-data";
import { assumeRolePolicy, policyJson } from "../policy";

export interface LoadGeneratorsArgs {
  count: number;
  instanceType: string;
  region: pulumi.Input<string>;
  /** The perf agent's source (perf/src/agent/agent.ts); bundled to agent/agent.js when present. */
  agentEntry: string | undefined;
}

/** Agents are spread over at most this many availability zones (one public subnet each): those offering their type. */
export const AGENT_ZONES = 3;

export class LoadGenerators extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly role: aws.iam.Role;
  readonly instances: aws.ec2.Instance[] = [];
  readonly vpc: awsx.ec2.Vpc | undefined;
  readonly instanceIds: pulumi.Output<string[]>;

  constructor(name: string, args: LoadGeneratorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:loadgen:LoadGenerators", name, {}, opts);

    // Results are test output, not business data: destroying the stack may delete them.
    this.bucket = new aws.s3.Bucket(`${name}-results`, { forceDestroy: true }, { parent: this });
    new aws.s3.BucketPublicAccessBlock(
      `${name}-results-public-access-block`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { parent: this },
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-results-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      { parent: this },
    );
    this.bucketName = this.bucket.bucket;

    this.role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com") },
      { parent: this },
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-ssm`,
      { role: this.role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-bucket-access`,
      {
        role: this.role.id,
        policy: policyJson(
          {
            Sid: "ReadAgentAndScenario",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: pulumi.interpolate`${this.bucket.arn}/agent/*`,
          },
          {
            Sid: "WriteResults",
            Effect: "Allow",
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${this.bucket.arn}/results/*`,
          },
        ),
      },
      { parent: this },
    );
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: this.role.name }, { parent: this });

    this.uploadAgent(name, args.agentEntry);

    if (args.count > 0) {
      const lookup = { parent: this };
      const zones = pulumi
        .all([
          aws.ec2.getInstanceTypeOfferingsOutput(
            {
              locationType: "availability-zone",
              filters: [{ name: "instance-type", values: [args.instanceType] }],
            },
            lookup,
          ),
          aws.getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            lookup,
          ),
        ])
        .apply(([offerings, region]) =>
          agentZones({
            instanceType: args.instanceType,
            offered: offerings.locations,
            available: region.names,
            max: AGENT_ZONES,
          }),
        );
      this.vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
          cidrBlock: "10.80.0.0/16",
          // Known at preview too (lookups run then). awsx types the list as plain strings, but a remote
          // component's inputs are serialised like any resource's, Outputs included.
          availabilityZoneNames: zones as unknown as string[],
          subnetStrategy: "Auto",
          subnetSpecs: [{ type: "Public", cidrMask: 20 }],
          natGateways: { strategy: "None" },
          enableDnsHostnames: true,
        },
        // A remote component is not handed its parent's providers by the SDK: pass the stack's (tags) on.
        { parent: this, providers: inheritedProviders(this) },
      );
      const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
          vpcId: this.vpc.vpcId,
          description: "Flash-sale load agents: no inbound, outbound HTTPS to the API, Cognito and S3",
          egress: [
            {
              protocol: "tcp",
              fromPort: 443,
              toPort: 443,
              cidrBlocks: ["0.0.0.0/0"],
              ipv6CidrBlocks: ["::/0"],
              description: "HTTPS",
            },
          ],
        },
        { parent: this },
      );
      // EC2 resolves the AMI parameter at launch: the program's inputs hold the parameter's name, not the id, so
      // the plan stays readable (no [secret]) and a new Amazon Linux release never replaces agents mid-test. The
      // alias lives in a launch template because an instance's own `ami` compares the alias with the resolved
      // id on every refresh and plans a replacement (terraform-provider-aws#43364).
      const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-agent-template`,
        {
          imageId: `resolve:ssm:${al2023AmiParameter(architectureOf(args.instanceType))}`,
          metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        },
        { parent: this },
      );
      const userData = pulumi
        .all([this.bucket.bucket, args.region])
        .apply(([bucket, region]) => agentUserData({ bucket, region }));
      const subnets = this.vpc.publicSubnetIds;
      for (let index = 0; index < args.count; index++) {
        this.instances.push(
          new aws.ec2.Instance(
            `${name}-agent-${index}`,
            {
              launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
              instanceType: args.instanceType,
              // Round-robin over the zones: one zone short of capacity or failing does not take the whole fleet.
              subnetId: subnets.apply((ids) => spreadOver(ids, index)),
              iamInstanceProfile: profile.name,
              vpcSecurityGroupIds: [securityGroup.id],
              associatePublicIpAddress: true,
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
    this.instanceIds = pulumi.all(this.instances.map((instance) => instance.id));
    this.registerOutputs({ bucketName: this.bucketName, instanceIds: this.instanceIds });
  }

  private uploadAgent(name: string, agentEntry: string | undefined): void {
    if (agentEntry === undefined) {
      pulumi.log.warn(
        "the perf agent (perf/src/agent/agent.ts) is missing: agent/agent.js is not uploaded; `npm run perf -- fleet` uploads it before a run.",
        this,
      );
      return;
    }
    new aws.s3.BucketObjectv2(
      `${name}-agent-bundle`,
      {
        bucket: this.bucket.id,
        key: "agent/agent.js",
        // The same build `npm run perf -- fleet` uploads (perf/src/agent/bundle.ts), for Amazon Linux's nodejs22.
        source: new pulumi.asset.StringAsset(memoised(`agent:${agentEntry}`, agentBundle)),
        contentType: "text/javascript; charset=utf-8",
      },
      { parent: this },
    );
  }
}

/** The subnet for agent `index`: agents take the subnets in turn. */
export function spreadOver(subnetIds: readonly string[], index: number): string {
  const subnet = subnetIds[index % subnetIds.length];
  if (subnet === undefined) throw new Error("the load generators' VPC has no public subnet");
  return subnet;
}

/** The AWS provider this component inherited (the stack's, with default tags), as a remote component wants it. */
function inheritedProviders(component: pulumi.ComponentResource): Record<string, pulumi.ProviderResource> {
  const provider = component.getProvider("aws:ec2/vpc:Vpc");
  return provider ? { aws: provider } : {};
}
