/** The one DynamoDB table: catalog, stock shards, orders and per-customer counts (services/src/store/keys.ts). */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PURGE_AT_ATTRIBUTE, planCapacity, type CapacityPlan } from "@flash-sale/services/contract";
import { merchandiserPolicy } from "../data/merchandiser";
import { durableOptions } from "../durable";
import { warmThroughputToApply, type DeployedTable, type WarmThroughput } from "../data/warm-throughput";

export interface DataArgs {
  /** Drives the table's warm throughput through the same arithmetic as `npm run stock -- plan`. */
  expectedPeakPurchasesPerSecond: number;
  /**
   * Outside dev: deletion protection in AWS, and `protect` + `retainOnDelete` in Pulumi, so neither a
   * `pulumi destroy` nor a planned replacement can delete the table.
   */
  deletionProtection: boolean;
  /** The stack's last deployment (infra/src/data/last-deployment.ts): the warm throughput it asked for. */
  lastDeployment: pulumi.Input<DeployedTable>;
}

export class Data extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  /** The table's stream (new and old images): the order events consumer reads it (order-events.ts). */
  readonly streamArn: pulumi.Output<string>;
  /** The table has no secondary indexes, so grants never include `<table>/index/*`. */
  readonly hasIndexes = false;
  readonly capacity: CapacityPlan;
  /** What this deployment asked for; exported so the next deployment's guard can compare (tableWarmThroughput). */
  readonly warmThroughputPlan: pulumi.Output<WarmThroughput & { expectedPeakPurchasesPerSecond: number }>;
  /** What the table is given: the plan, or more if the live table already has more; fails on a lowered peak. */
  readonly warmThroughput: pulumi.Output<WarmThroughput>;
  /** Attach to merchandisers' users, groups or roles for `npm run stock` (infra/README.md). */
  readonly merchandiserPolicy: aws.iam.Policy;

  constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:data:Data", name, {}, opts);
    this.capacity = planCapacity(args.expectedPeakPurchasesPerSecond);
    const plan = {
      writeUnitsPerSecond: this.capacity.tableWriteUnitsPerSecond,
      readUnitsPerSecond: this.capacity.tableReadUnitsPerSecond,
    };

    // Never less than the live table has or the last deployment asked for: a lower value is a replacement.
    this.warmThroughput = pulumi.output(args.lastDeployment).apply(async (deployed) => {
      const live = deployed.tableName ? await this.liveWarmThroughput(deployed.tableName) : undefined;
      const decision = warmThroughputToApply({ peak: args.expectedPeakPurchasesPerSecond, plan, deployed, live });
      // A logged error does not stop an update (it exits 0 and records the outputs): a refusal must throw, so the
      // preview and the update fail before the table is touched and nothing is exported.
      if (decision.refusal) throw new Error(decision.refusal);
      return decision.value;
    });
    // Exported only through the decision: a refused update never records the lowered plan as the new floor.
    this.warmThroughputPlan = this.warmThroughput.apply(() => ({
      ...plan,
      expectedPeakPurchasesPerSecond: args.expectedPeakPurchasesPerSecond,
    }));

    this.table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        rangeKey: "sk",
        attributes: [
          { name: "pk", type: "S" },
          { name: "sk", type: "S" },
        ],
        pointInTimeRecovery: { enabled: true },
        // Order events (mails, metrics, the sales tally) come from the stream, never from the request path; a
        // consumer sees each order before and after a write (an event is an order ENTERING a status).
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        // The stream consumers' dedupe marks carry an expiry; TTL deletes them free of write cost (services/src/store/purge.ts).
        ttl: { attributeName: PURGE_AT_ATTRIBUTE, enabled: true },
        // An AWS-managed KMS key (aws/dynamodb) rather than the default AWS-owned one: key use shows in CloudTrail.
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: args.deletionProtection,
        // Pre-warmed so an announced sale does not start at a new on-demand table's 4,000 write units/s.
        warmThroughput: this.warmThroughput,
      },
      { parent: this, ...durableOptions(args.deletionProtection) },
    );
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.streamArn = this.table.streamArn;
    this.merchandiserPolicy = merchandiserPolicy(`${name}-merchandiser`, this.tableArn, { parent: this });
    this.registerOutputs({
      tableName: this.tableName,
      tableArn: this.tableArn,
      streamArn: this.streamArn,
      merchandiserPolicyArn: this.merchandiserPolicy.arn,
    });
  }

  /** The warm throughput the table has in AWS right now; undefined if it was deleted outside Pulumi. */
  private async liveWarmThroughput(tableName: string): Promise<WarmThroughput | undefined> {
    try {
      const table = await aws.dynamodb.getTable({ name: tableName }, { parent: this });
      return table.warmThroughputs[0];
    } catch (error) {
      if (/ResourceNotFound|not found/i.test(String(error))) return undefined;
      throw error;
    }
  }
}
