/**
 * The table stream's consumer (services/src/functions/order-events.ts): an event source mapping on the stream
 * invokes a function built like the others (handler-function.ts: its own bundle, role, log group, arm64) that
 * mails shoppers through SES (order confirmed, hold expired, refunded) and counts the order events as business
 * metrics for the dashboard. Streams deliver at least once and every effect is idempotent per (order, event), so
 * a retried or bisected batch costs reads, never a second mail. A record that keeps failing is set aside in an
 * SQS queue (its shard and sequence numbers, not the record) so one bad record never blocks a shard; the queue
 * not being empty raises an alarm (monitoring.ts). Its role may do exactly ORDER_EVENTS.dynamodbActions on the
 * table, read this table's stream, send mail as the configured sender, look shoppers up in the user pool, and
 * put the failed batches' descriptions on its queue.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORDER_EVENTS } from "@flash-sale/services/routes";
import { handlerEntry } from "../bundle";
import type { MailFrom } from "../config";
import type { Statement } from "../policy";
import { handlerFunction, type LambdaSettings } from "./handler-function";

export interface OrderEventsArgs {
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  tableHasIndexes: boolean;
  /** The table's stream (NEW_AND_OLD_IMAGES): an event is an order entering a status, so both images are needed. */
  streamArn: pulumi.Input<string>;
  /** The sender of order mails (config `mailFrom`); its address becomes an SES email identity. */
  mailFrom: MailFrom;
  /** The sender's SES email identity (made by Auth, whose user pool mails from it too). */
  identity: aws.sesv2.EmailIdentity;
  /** The user pool that knows shoppers' addresses (the order keeps only the shopper's `sub`). */
  userPoolId: pulumi.Input<string>;
  userPoolArn: pulumi.Input<string>;
  /** The route functions' settings but the timeout (the consumer's own, ORDER_EVENTS_TIMEOUT_SECONDS). */
  lambda: Omit<LambdaSettings, "timeoutSeconds">;
  metricsNamespace: string;
}

/**
 * A shard's batch is handled record after record (each order event: a user pool lookup, a send, two claim
 * writes): 100 records that are all order events take a few seconds, and a throttled SES retries inside the SDK.
 */
export const ORDER_EVENTS_TIMEOUT_SECONDS = 60;

/**
 * How the stream is read. The stream has about one shard per table partition, and a purchase writes several items
 * (stock shards, allowance, order), so only a part of the records are order events; the others are skipped in
 * microseconds. 100 records per batch keeps the invocations few during a sale while a batch of order events still
 * ends well inside the timeout; a parallelization factor of 10 (the maximum) runs up to 10 batches of each shard at
 * once, still in order per item key (what the per-order dedupe needs), so a 500 purchases/s sale on a few shards
 * does not queue mails behind one another. Records are delivered again after a failure: the handler reports the
 * first failed record (partial batch response) and bisecting isolates a record that makes the whole function fail.
 * 10 attempts or an hour, whichever comes first (an hour late, a mail must not hold up its shard any longer), then
 * the batch's description goes to the failure queue; the stream keeps the records 24 hours for a replay.
 */
export const ORDER_EVENTS_STREAM = {
  startingPosition: "LATEST",
  batchSize: 100,
  parallelizationFactor: 10,
  maximumRetryAttempts: 10,
  maximumRecordAgeInSeconds: 3600,
} as const;

/** SQS's longest retention: a failed batch stays visible long after the alarm (the stream itself keeps 24 hours). */
export const FAILURE_QUEUE_RETENTION_SECONDS = 14 * 24 * 60 * 60;

export class OrderEvents extends pulumi.ComponentResource {
  readonly fn: aws.lambda.Function;
  readonly functionName: pulumi.Output<string>;
  /** Where the descriptions of batches that kept failing go (shard, sequence numbers); an alarm watches it. */
  readonly failureQueue: aws.sqs.Queue;
  readonly failureQueueName: pulumi.Output<string>;
  readonly failureQueueUrl: pulumi.Output<string>;
  /** The sender's SES email identity: SES mails its address a verification link once created (infra/README.md). */
  readonly identity: aws.sesv2.EmailIdentity;
  readonly mapping: aws.lambda.EventSourceMapping;

  constructor(name: string, args: OrderEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:events:OrderEvents", name, {}, opts);
    this.failureQueue = new aws.sqs.Queue(
      `${name}-failures`,
      { messageRetentionSeconds: FAILURE_QUEUE_RETENTION_SECONDS, sqsManagedSseEnabled: true },
      { parent: this },
    );
    this.identity = args.identity;
    // SES authorises a send against the identity it uses: the address's own, or its domain's when the domain is
    // the verified identity. The domain's ARN is the address identity's with the domain in its place.
    const domainIdentityArn = this.identity.arn.apply((arn) =>
      arn.replace(/identity\/[^/]+$/, `identity/${args.mailFrom.domain}`),
    );
    const statements: Statement[] = [
      {
        Sid: "Stream",
        Effect: "Allow",
        Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
        Resource: args.streamArn,
      },
      { Sid: "SendMail", Effect: "Allow", Action: "ses:SendEmail", Resource: [this.identity.arn, domainIdentityArn] },
      { Sid: "FindShopper", Effect: "Allow", Action: "cognito-idp:ListUsers", Resource: args.userPoolArn },
      { Sid: "FailedBatches", Effect: "Allow", Action: "sqs:SendMessage", Resource: this.failureQueue.arn },
    ];
    // Nothing reserved (a new account's quota may be too low): concurrency is bounded by the stream's shards
    // times the parallelization factor.
    this.fn = handlerFunction(
      name,
      {
        description: `The table stream's consumer: order mails and metrics (services/src/functions/${ORDER_EVENTS.handler}.ts)`,
        entry: handlerEntry(ORDER_EVENTS.handler),
        dynamodbActions: ORDER_EVENTS.dynamodbActions,
        tableName: args.tableName,
        tableArn: args.tableArn,
        tableHasIndexes: args.tableHasIndexes,
        lambda: { ...args.lambda, timeoutSeconds: ORDER_EVENTS_TIMEOUT_SECONDS },
        metricsNamespace: args.metricsNamespace,
        environment: { MAIL_FROM: args.mailFrom.from, USER_POOL_ID: args.userPoolId },
        statements,
      },
      this,
    ).fn;

    // No filter criteria: every record reaches the handler, which skips what is not an order item in microseconds;
    // a filter would have to follow the handler's own test of an order item, and a record filtered out is gone.
    this.mapping = new aws.lambda.EventSourceMapping(
      `${name}-stream`,
      {
        eventSourceArn: args.streamArn,
        functionName: this.fn.arn,
        ...ORDER_EVENTS_STREAM,
        functionResponseTypes: ["ReportBatchItemFailures"],
        bisectBatchOnFunctionError: true,
        destinationConfig: { onFailure: { destinationArn: this.failureQueue.arn } },
      },
      { parent: this },
    );
    this.functionName = this.fn.name;
    this.failureQueueName = this.failureQueue.name;
    this.failureQueueUrl = this.failureQueue.url;
    this.registerOutputs({
      functionName: this.functionName,
      failureQueueName: this.failureQueueName,
      failureQueueUrl: this.failureQueueUrl,
    });
  }
}
