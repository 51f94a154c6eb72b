/** The one DynamoDB table: catalog, stock shards, orders and per-customer counts (services/src/store/keys.ts). */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planCapacity, type CapacityPlan } from "../../../services/src/domain/capacity";

export interface DataArgs {
  /** Drives the table's warm throughput through the same arithmetic as `npm run stock -- plan`. */
  expectedPeakPurchasesPerSecond: number;
  deletionProtection: boolean;
}

export class Data extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  /** The table has no secondary indexes, so grants never include `<table>/index/*`. */
  readonly hasIndexes = false;
  readonly capacity: CapacityPlan;

  constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:data:Data", name, {}, opts);
    this.capacity = planCapacity(args.expectedPeakPurchasesPerSecond);

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
        // An AWS-managed KMS key (aws/dynamodb) rather than the default AWS-owned one: key use shows in CloudTrail.
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: args.deletionProtection,
        // Pre-warmed so an announced sale does not start at a new on-demand table's 4,000 write units/s.
        // AWS never lowers a table's warm throughput: raising expectedPeakPurchasesPerSecond is one-way.
        warmThroughput: {
          writeUnitsPerSecond: this.capacity.tableWriteUnitsPerSecond,
          readUnitsPerSecond: this.capacity.tableReadUnitsPerSecond,
        },
      },
      { parent: this },
    );
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}
