import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import type { MailSender } from "../domain/mail";
import { type OrderEvent, orderEventOf } from "../domain/order-events";
import { mailOrderEvent, type OrderMailPorts } from "../domain/order-mail";
import { productKey } from "../store/keys";
import { DynamoMailClaims } from "../store/mail-claims";
import { orderChangeOf } from "../store/order-stream";

export interface OrderEventsDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  sender: MailSender;
  /**
   * What else an order event does besides its mail (a sales tally, metrics), run after the mail in this
   * order. Each must be idempotent per (order, event kind): a record comes again after any failure.
   */
  effects?: OrderEventEffect[];
  /** Told of each record that failed (and will come again), and of each mail that can never go; default: nothing. */
  onFailure?: (error: Error) => void;
}

export type OrderEventEffect = (event: OrderEvent) => Promise<void>;

export type OrderEventsHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * The stream consumer: the Lambda's handler in AWS and the local stack's stream poller call this same
 * function. Records of a shard are handled in order; at the first failure it stops and reports that
 * record, so the stream delivers it and everything after it again (partial batch response). What was
 * done before it is idempotent (mail claims), so the replay costs reads, never a second mail.
 */
export function createOrderEventsHandler(deps: OrderEventsDeps): OrderEventsHandler {
  const names = new Map<string, string | undefined>();
  const ports: OrderMailPorts = {
    claims: new DynamoMailClaims(deps.doc, deps.tableName),
    sender: deps.sender,
    // Names rarely change and a mail names the product as the catalog had it: cached per container.
    productName: async (sku) => {
      if (!names.has(sku)) {
        const { Item } = await deps.doc.send(new GetCommand({ TableName: deps.tableName, Key: productKey(sku) }));
        names.set(sku, typeof Item?.name === "string" ? Item.name : undefined);
      }
      return names.get(sku);
    },
  };
  return async (event) => {
    for (const record of event.Records) {
      try {
        const change = orderChangeOf(record);
        const orderEvent = change && orderEventOf(change.before, change.after);
        if (!orderEvent) continue;
        const outcome = await mailOrderEvent(ports, orderEvent);
        if (outcome === "undeliverable") deps.onFailure?.(new Error(`order mail undeliverable (${record.eventID})`));
        for (const effect of deps.effects ?? []) await effect(orderEvent);
      } catch (error) {
        deps.onFailure?.(error as Error);
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
