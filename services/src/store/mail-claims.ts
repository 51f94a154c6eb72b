import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { MailClaims } from "../domain/order-mail";
import { mailClaimKey } from "./keys";
import { PURGE_AT_ATTRIBUTE, streamMarkPurgeAt } from "./purge";

/** A SENDING claim older than this is taken to be a crashed sender's, and the mail is sent again. */
export const MAIL_CLAIM_LEASE_MS = 60_000;

/** Mail claims as items of the one table (keys.ts), each one conditional write (domain/order-mail.ts says why). */
export class DynamoMailClaims implements MailClaims {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
    private readonly leaseMs = MAIL_CLAIM_LEASE_MS,
  ) {}

  async claim(mailId: string, shopper: string): Promise<"claimed" | "sent" | "busy"> {
    const now = this.now();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...mailClaimKey(shopper, mailId),
            type: "MAIL",
            state: "SENDING",
            claimedAt: now,
            [PURGE_AT_ATTRIBUTE]: streamMarkPurgeAt(now),
          },
          ConditionExpression: "attribute_not_exists(pk) OR (#state = :sending AND claimedAt < :stale)",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":sending": "SENDING", ":stale": now - this.leaseMs },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return "claimed";
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      // DynamoDB Local ignores ReturnValuesOnConditionCheckFailure, so the old state is not read from the error.
      return (await this.isSent(mailId, shopper)) ? "sent" : "busy";
    }
  }

  async markSent(mailId: string, shopper: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mailClaimKey(shopper, mailId),
        UpdateExpression: "SET #state = :sent, sentAt = :now",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":sent": "SENT", ":now": this.now() },
      }),
    );
  }

  async release(mailId: string, shopper: string): Promise<void> {
    await this.doc
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: mailClaimKey(shopper, mailId),
          ConditionExpression: "#state = :sending",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":sending": "SENDING" },
        }),
      )
      .catch((error: Error) => {
        if (error.name !== "ConditionalCheckFailedException") throw error;
      });
  }

  private async isSent(mailId: string, shopper: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: mailClaimKey(shopper, mailId), ConsistentRead: true }),
    );
    return Item?.state === "SENT";
  }
}
