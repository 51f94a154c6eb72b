/**
 * Pulumi mocks that record every resource the program registers, with outputs shaped like AWS's
 * (ids, ARNs, names, domains), so values derived from them (issuer, URLs, policies) are real strings in tests.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  state: Record<string, any>;
  /** The provider reference (`<urn>::<id>`) the engine was given, if any. */
  provider: string | undefined;
}

/** What the engine was asked besides inputs (see support/program.ts, which records these from the monitor). */
export interface RegisteredOptions {
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  deleteBeforeReplace: boolean;
  /** Providers handed to a (remote) component for its children, by package. */
  providers: Record<string, string>;
  /**
   * What the engine must create first (`<type>::<name>` of each): the resources whose outputs reach this one's
   * inputs, and its explicit dependsOn. The engine orders the deployment by these edges.
   */
  dependsOn: string[];
}

/** The world outside the program: the stack's previous outputs and the live table, as a deployed stack has them. */
export interface World {
  /** Outputs of this stack's last deployment, returned by its StackReference to itself. */
  previousOutputs?: Record<string, unknown>;
  /** Live tables by name, as aws.dynamodb.getTable reads them. */
  tables?: Record<string, { warmThroughputs: { readUnitsPerSecond: number; writeUnitsPerSecond: number }[] }>;
  /** The region's available zones (default: ZONES). */
  zones?: string[];
  /** Zones where EC2 offers each instance type (default: every zone). */
  offerings?: Record<string, string[]>;
}

/** The mock region's availability zones. */
export const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

/** The awsx VPC's outputs: awsx components are remote, so under mocks they are one resource with only these. */
export const MOCK_VPC = {
  vpcId: "vpc-mock",
  publicSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  privateSubnetIds: [],
  isolatedSubnetIds: [],
};

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const AMI_IDS: Record<string, string> = {
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64": "ami-arm64example",
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64": "ami-x86example",
};

/** Physical names are lower-case, dash-joined: what Pulumi's auto-naming would produce, minus the random suffix. */
const physical = (name: string) => `${name}-physical`.toLowerCase();

function outputsFor(
  type: string,
  name: string,
  inputs: Record<string, any>,
): { id: string; state: Record<string, any> } {
  const id = `${name}-id`;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
  switch (type) {
    case "aws:dynamodb/table:Table": {
      const tableName = inputs.name ?? physical(name);
      const tableArn = arn("dynamodb", `table/${tableName}`);
      // AWS gives a stream ARN only when the stream is on; its label is the stream's creation time.
      const stream = inputs.streamEnabled ? { streamArn: `${tableArn}/stream/2026-01-01T00:00:00.000` } : {};
      return { id: tableName, state: { name: tableName, arn: tableArn, ...stream } };
    }
    case "aws:cognito/userPool:UserPool":
      return { id: `${REGION}_MockPool`, state: { arn: arn("cognito-idp", `userpool/${REGION}_MockPool`) } };
    case "aws:cognito/userPoolClient:UserPoolClient":
      return { id: "mockclientid", state: {} };
    case "aws:cloudwatch/logGroup:LogGroup": {
      const logGroupName = inputs.name ?? `/mock/${physical(name)}`;
      return { id: logGroupName, state: { name: logGroupName, arn: arn("logs", `log-group:${logGroupName}`) } };
    }
    case "aws:cloudwatch/eventRule:EventRule": {
      const ruleName = inputs.name ?? physical(name);
      return { id: ruleName, state: { name: ruleName, arn: arn("events", `rule/${ruleName}`) } };
    }
    case "aws:iam/role:Role": {
      const roleName = inputs.name ?? physical(name);
      return { id: roleName, state: { name: roleName, arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}` } };
    }
    case "aws:iam/instanceProfile:InstanceProfile":
      return {
        id: physical(name),
        state: { name: physical(name), arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${physical(name)}` },
      };
    case "aws:lambda/function:Function": {
      const functionName = inputs.name ?? physical(name);
      const fnArn = arn("lambda", `function:${functionName}`);
      return {
        id: functionName,
        state: {
          name: functionName,
          arn: fnArn,
          version: inputs.publish ? "1" : "$LATEST",
          invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
        },
      };
    }
    case "aws:lambda/alias:Alias": {
      const aliasArn = arn("lambda", `function:${inputs.functionName}:${inputs.name}`);
      return {
        id: aliasArn,
        state: {
          arn: aliasArn,
          invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${aliasArn}/invocations`,
        },
      };
    }
    case "aws:apigatewayv2/api:Api":
      return {
        id: "mockapi",
        state: {
          apiEndpoint: `https://mockapi.execute-api.${REGION}.amazonaws.com`,
          executionArn: arn("execute-api", "mockapi"),
        },
      };
    case "aws:s3/bucket:Bucket": {
      const bucket = inputs.bucket ?? physical(name);
      return {
        id: bucket,
        state: {
          bucket,
          arn: `arn:aws:s3:::${bucket}`,
          bucketRegionalDomainName: `${bucket}.s3.${REGION}.amazonaws.com`,
        },
      };
    }
    case "aws:cloudfront/distribution:Distribution":
      return {
        id: "EMOCKDIST",
        state: { arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/EMOCKDIST`, domainName: "dmock.cloudfront.net" },
      };
    case "aws:cloudfront/function:Function":
      return { id: inputs.name, state: { arn: `arn:aws:cloudfront::${ACCOUNT}:function/${inputs.name}` } };
    case "random:index/randomBytes:RandomBytes": {
      // Deterministic stand-in bytes of the asked length: what the provider would return, minus the randomness.
      const bytes = Buffer.alloc(Number(inputs.length), 7);
      return { id: `${name}-id`, state: { base64: bytes.toString("base64"), hex: bytes.toString("hex") } };
    }
    case "random:index/randomPassword:RandomPassword":
      // Deterministic letters of the asked length, unique per resource name: the provider's, minus the randomness.
      return {
        id: `${name}-id`,
        state: { result: `mock${name}`.replace(/[^A-Za-z0-9]/g, "").padEnd(Number(inputs.length), "x") },
      };
    case "aws:sqs/queue:Queue": {
      const queueName = inputs.name ?? physical(name);
      return {
        id: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName}`,
        state: {
          name: queueName,
          arn: arn("sqs", queueName),
          url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName}`,
        },
      };
    }
    case "aws:sesv2/emailIdentity:EmailIdentity":
      return { id: inputs.emailIdentity, state: { arn: arn("ses", `identity/${inputs.emailIdentity}`) } };
    case "aws:sns/topic:Topic":
      return { id: physical(name), state: { arn: arn("sns", physical(name)) } };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return {
        id: inputs.name ?? physical(name),
        state: {
          name: inputs.name ?? physical(name),
          arn: arn("cloudwatch", `alarm:${inputs.name ?? physical(name)}`),
        },
      };
    case "aws:iam/policy:Policy":
      return {
        id: `arn:aws:iam::${ACCOUNT}:policy/${physical(name)}`,
        state: { arn: `arn:aws:iam::${ACCOUNT}:policy/${physical(name)}`, name: physical(name) },
      };
    case "aws:wafv2/webAcl:WebAcl":
      return {
        id: "mock-acl-id",
        state: { arn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/${physical(name)}/mock-acl-id` },
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { id: `lt-${physical(name)}`, state: { latestVersion: 1 } };
    case "awsx:ec2:Vpc":
      // One public subnet per zone asked for ("subnet-a" in eu-west-1a), as the component makes them.
      return {
        id,
        state: {
          ...MOCK_VPC,
          ...(inputs.availabilityZoneNames
            ? { publicSubnetIds: inputs.availabilityZoneNames.map((zone: string) => `subnet-${zone.slice(-1)}`) }
            : {}),
        },
      };
    default:
      return { id, state: {} };
  }
}

export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: Registered[] = [];
  readonly calls: { token: string; inputs: any; provider: string | undefined }[] = [];

  constructor(private readonly world: World = {}) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
    const { id, state } =
      args.type === "pulumi:pulumi:StackReference"
        ? { id: args.inputs.name, state: { outputs: this.world.previousOutputs ?? {}, secretOutputNames: [] } }
        : outputsFor(args.type, args.name, args.inputs);
    const fullState = { ...args.inputs, ...state };
    this.resources.push({
      type: args.type,
      name: args.name,
      inputs: args.inputs,
      state: fullState,
      provider: args.provider,
    });
    return { id, state: fullState };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    this.calls.push({ token: args.token, inputs: args.inputs, provider: args.provider });
    switch (args.token) {
      case "aws:dynamodb/getTable:getTable": {
        const table = this.world.tables?.[args.inputs.name];
        if (!table)
          throw new Error(
            `ResourceNotFoundException: Requested resource not found: Table: ${args.inputs.name} not found`,
          );
        return { name: args.inputs.name, warmThroughputs: table.warmThroughputs };
      }
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return { names: this.world.zones ?? ZONES, zoneIds: [], groupNames: [], id: REGION };
      case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
        const type = args.inputs.filters?.find((filter: { name: string }) => filter.name === "instance-type")
          ?.values?.[0] as string;
        const locations = this.world.offerings?.[type] ?? this.world.zones ?? ZONES;
        return {
          locations,
          locationTypes: locations.map(() => args.inputs.locationType),
          instanceTypes: locations.map(() => type),
          id: REGION,
        };
      }
      case "aws:index/getRegion:getRegion":
        return {
          region: REGION,
          name: REGION,
          id: REGION,
          description: "Europe (Ireland)",
          endpoint: `ec2.${REGION}.amazonaws.com`,
        };
      case "aws:ssm/getParameter:getParameter": {
        const value = AMI_IDS[args.inputs.name];
        if (!value) throw new Error(`unexpected SSM parameter ${args.inputs.name}`);
        return {
          name: args.inputs.name,
          value,
          insecureValue: value,
          type: "String",
          arn: `arn:aws:ssm:${REGION}::parameter${args.inputs.name}`,
        };
      }
      default:
        throw new Error(`unmocked call ${args.token}`);
    }
  }
}
